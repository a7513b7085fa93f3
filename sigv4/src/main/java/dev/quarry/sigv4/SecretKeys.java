package dev.quarry.sigv4;

import java.util.Map;
import java.util.Optional;

/** Where a verifier finds the secret of an access key; empty for a key it does not know. */
@FunctionalInterface
public interface SecretKeys {
  Optional<String> secretOf(String accessKeyId);

  /** A fixed set of keys, access key id to secret. */
  static SecretKeys of(Map<String, String> secrets) {
    Map<String, String> copy = Map.copyOf(secrets);
    return id -> Optional.ofNullable(copy.get(id));
  }
}
