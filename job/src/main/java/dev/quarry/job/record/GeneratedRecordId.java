package dev.quarry.job.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The record id given to a line that has none: 11 characters of {@code [0-9A-Z]}, like Bedrock's.
 *
 * <p>Derived from the file and line number only, so a restarted job gives a line the same id.
 */
public final class GeneratedRecordId {
  private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
  public static final int LENGTH = 11;

  private GeneratedRecordId() {}

  /** The id for line {@code lineNumber} of {@code file}. */
  public static String of(String file, long lineNumber) {
    byte[] digest = sha256(file + '\n' + lineNumber);
    char[] id = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      id[i] = ALPHABET[(digest[i] & 0xff) % ALPHABET.length];
    }
    return new String(id);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
