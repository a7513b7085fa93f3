package dev.quarry.controlplane.launch;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where the remote session cluster is and what to submit to it.
 *
 * @param restUrl the JobManager's REST address, e.g. {@code http://127.0.0.1:8081}
 * @param jobJar the shaded job jar ({@code job/target/quarry-job-*-flink.jar}), uploaded once per control plane
 */
public record RemoteFlinkSettings(URI restUrl, Path jobJar) {}
