package dev.quarry.controlplane.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The OpenAI API key of an access key: {@code sk-quarry-} and an HMAC-SHA256 of the key's id under
 * its secret, so it needs nothing stored beside the key (every key in a key file has one, revoking
 * the key revokes it, and {@code scripts/quarry serve} can print it at every start), and telling it
 * reveals nothing of the secret. The API holds only SHA-256 {@link #fingerprint}s of the API keys,
 * by which it finds the key a bearer token belongs to.
 */
public final class ApiKeys {
  /** What every Quarry API key starts with. */
  public static final String PREFIX = "sk-quarry-";

  private static final String LABEL = "quarry openai api key\n";

  private ApiKeys() {}

  /** The API key of {@code key}. */
  public static String of(AccessKey key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] tag = mac.doFinal((LABEL + key.accessKey()).getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every JVM has HmacSHA256", e);
    }
  }

  /** The SHA-256 of an API key, in hex: what the API keeps to recognise it. */
  public static String fingerprint(String apiKey) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
