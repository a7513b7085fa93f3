package dev.quarry.controlplane.console;

import java.time.Instant;

/**
 * A signed-in browser: the random id its cookie carries, the key it signed in with, and until when.
 */
record Session(String id, String accessKeyId, Instant expiresAt) {
  Session {
    if (id == null || accessKeyId == null || expiresAt == null) {
      throw new IllegalArgumentException("id, accessKeyId and expiresAt are required");
    }
  }
}
