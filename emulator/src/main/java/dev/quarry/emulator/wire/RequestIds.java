package dev.quarry.emulator.wire;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh identifiers for responses. Uses {@link ThreadLocalRandom} instead of {@link
 * UUID#randomUUID()} because the latter takes a lock on a shared SecureRandom, which shows up at
 * tens of thousands of requests per second; these ids only need to be unique, not unguessable.
 */
public final class RequestIds {
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private RequestIds() {}

  /** A version-4 style UUID string for {@code x-amzn-RequestId}. */
  public static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /**
   * {@code prefix} followed by {@code length} random base-62 characters, e.g. Anthropic's {@code
   * msg_bdrk_…}.
   */
  public static String newBase62Id(String prefix, int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
    for (int i = 0; i < length; i++) {
      id.append(BASE62[random.nextInt(BASE62.length)]);
    }
    return id.toString();
  }
}
