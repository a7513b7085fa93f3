package dev.quarry.controlplane.keys;

import java.security.SecureRandom;
import java.util.List;

/**
 * Random keys shaped like AWS's: a 20-character upper-case access key and a 40-character secret.
 */
public final class KeyGenerator {
  private static final String ACCESS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private final SecureRandom random = new SecureRandom();

  /** A new key of {@code account} that may read and write nothing yet. */
  public AccessKey generate(String account) {
    return generate(account, List.of(), List.of());
  }

  /**
   * A new key of {@code account} whose jobs may read and write under these {@code s3://} prefixes.
   */
  public AccessKey generate(String account, List<String> allowInput, List<String> allowOutput) {
    return new AccessKey(
        "AKIA" + draw(ACCESS_ALPHABET, 16),
        draw(SECRET_ALPHABET, 40),
        account,
        allowInput,
        allowOutput);
  }

  private String draw(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
