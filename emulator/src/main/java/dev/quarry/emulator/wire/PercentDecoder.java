package dev.quarry.emulator.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decodes one URI path segment. Unlike {@link java.net.URLDecoder} it leaves {@code +}
 * alone, because in a path (as opposed to a form) a plus sign is a literal plus.
 */
public final class PercentDecoder {
  private PercentDecoder() {}

  /**
   * Decodes {@code %XX} escapes as UTF-8; a malformed escape is kept verbatim rather than rejected.
   */
  public static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    StringBuilder out = new StringBuilder(segment.length());
    ByteArrayOutputStream escaped = new ByteArrayOutputStream();
    int i = 0;
    while (i < segment.length()) {
      char c = segment.charAt(i);
      if (c == '%' && i + 2 < segment.length()) {
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          escaped.write((hi << 4) | lo);
          i += 3;
          continue;
        }
      }
      flush(escaped, out);
      out.append(c);
      i++;
    }
    flush(escaped, out);
    return out.toString();
  }

  // Escaped bytes are collected first so that multi-byte UTF-8 sequences (%C3%A9) decode as one
  // character.
  private static void flush(ByteArrayOutputStream escaped, StringBuilder out) {
    if (escaped.size() > 0) {
      out.append(escaped.toString(StandardCharsets.UTF_8));
      escaped.reset();
    }
  }
}
