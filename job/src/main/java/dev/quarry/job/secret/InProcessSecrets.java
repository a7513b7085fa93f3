package dev.quarry.job.secret;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets held in this JVM's memory under random ids. The embedded MiniCluster runs job code in the
 * control plane's JVM and class loader, so its tasks find here what the control plane registered,
 * while the job graph and Flink's REST API only ever show the id.
 */
final class InProcessSecrets {
  private static final Map<String, String> VALUES = new ConcurrentHashMap<>();

  private InProcessSecrets() {}

  /**
   * Registers {@code value}; returns its id. The same value gets the same id, so repeated configs
   * do not pile up.
   */
  static String register(String value) {
    if (value == null) {
      throw new IllegalArgumentException("no secret to register");
    }
    for (Map.Entry<String, String> e : VALUES.entrySet()) {
      if (e.getValue().equals(value)) {
        return e.getKey();
      }
    }
    String id = UUID.randomUUID().toString();
    VALUES.put(id, value);
    return id;
  }

  static Optional<String> lookup(String id) {
    return Optional.ofNullable(VALUES.get(id));
  }
}
