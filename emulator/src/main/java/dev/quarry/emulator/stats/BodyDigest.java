package dev.quarry.emulator.stats;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The SHA-256 of a request body: its identity for per-body counts, reproducible draws and the
 * reply's tag.
 */
public final class BodyDigest {
  private static final HexFormat HEX = HexFormat.of();
  // MessageDigest.getInstance does a provider lookup; one instance per event-loop thread avoids it
  // per request.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
          });

  private final byte[] hash;
  private final String hex;

  private BodyDigest(byte[] hash) {
    this.hash = hash;
    this.hex = HEX.formatHex(hash);
  }

  /** Digest of raw body bytes. */
  public static BodyDigest of(byte[] body) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    return new BodyDigest(sha.digest(body));
  }

  /**
   * Digest of a body given as text (UTF-8, as the SDK's {@code SdkBytes.fromUtf8String} sends it).
   */
  public static BodyDigest of(String body) {
    return of(body.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex of all 32 bytes. */
  public String hex() {
    return hex;
  }

  /** Base64 of all 32 bytes. */
  public String base64() {
    return Base64.getEncoder().encodeToString(hash);
  }

  /** The first 8 hex digits, used to tag generated text with the request it answers. */
  public String shortHex() {
    return hex.substring(0, 8);
  }

  /** The first 8 bytes as a number, for seeding. */
  public long leadingLong() {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (hash[i] & 0xFF);
    }
    return value;
  }

  /**
   * An unsigned 31-bit number taken from bytes 8..11, for deterministic choices such as token
   * counts.
   */
  public int choiceInt() {
    return ((hash[8] & 0x7F) << 24)
        | ((hash[9] & 0xFF) << 16)
        | ((hash[10] & 0xFF) << 8)
        | (hash[11] & 0xFF);
  }

  @Override
  public String toString() {
    return hex;
  }
}
