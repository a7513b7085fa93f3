package dev.quarry.controlplane.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a webhook checks: HMAC-SHA256, keyed with the shared secret, over {@code
 * <timestamp>.<body>}, where the timestamp (Unix seconds, sent in {@link #TIMESTAMP_HEADER}) is the
 * attempt's own, so a receiver that refuses old timestamps cannot be fed a recorded request again.
 */
final class WebhookSignature {
  static final String SIGNATURE_HEADER = "Quarry-Signature";
  static final String TIMESTAMP_HEADER = "Quarry-Timestamp";
  static final String EVENT_ID_HEADER = "Quarry-Event-Id";

  /** The scheme's version, before the hex digest in the header: {@code v1=<64 hex digits>}. */
  static final String VERSION = "v1";

  private WebhookSignature() {}

  /** The {@link #SIGNATURE_HEADER} value for {@code body} sent at {@code epochSeconds}. */
  static String header(byte[] secret, long epochSeconds, byte[] body) {
    byte[] prefix = (epochSeconds + ".").getBytes(StandardCharsets.US_ASCII);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return VERSION + "=" + HexFormat.of().formatHex(hmacSha256(secret, signed));
  }

  static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
