#!/bin/sh
# Starts Quarry's control plane (dev.quarry.controlplane.QuarryControlPlane <quarry.properties>) with the
# Java 17 module flags Flink needs on every JVM that runs Flink code. JAVA_OPTS adds options (heap, log4j2
# configuration file).
set -eu
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} \
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED \
  -cp "/opt/quarry/quarry-control-plane.jar:/opt/quarry/lib/*" \
  dev.quarry.controlplane.QuarryControlPlane "$@"
