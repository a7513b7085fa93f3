package dev.quarry.job.invoke;

import java.nio.charset.StandardCharsets;

/**
 * Removes the whitespace between the tokens of a JSON text, leaving every token exactly as written:
 * numbers keep their digits, strings their escapes, objects their member order. An output line must
 * be one line, and a model answer is passed on as it came, so it is compacted rather than parsed
 * and written again.
 */
final class CompactJson {
  private CompactJson() {}

  /** {@code json} (UTF-8, assumed valid JSON) without insignificant whitespace. */
  static String of(byte[] json) {
    String text = new String(json, StandardCharsets.UTF_8);
    StringBuilder out = null;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean drop = false;
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        drop = true;
      }
      if (drop && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      } else if (!drop && out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
