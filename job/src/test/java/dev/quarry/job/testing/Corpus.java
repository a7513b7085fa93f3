package dev.quarry.job.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds JSONL inputs in Claude Messages format, one record per prompt. */
public final class Corpus {
  private Corpus() {}

  /** A Claude Messages {@code modelInput} asking {@code prompt}. */
  public static String claudeInput(String prompt) {
    return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":"
        + quote(prompt)
        + "}]}";
  }

  /** One input line with a record id. */
  public static String line(String recordId, String prompt) {
    return "{\"recordId\":" + quote(recordId) + ",\"modelInput\":" + claudeInput(prompt) + "}";
  }

  /** {@code count} lines with ids {@code <prefix>00000…}, as UTF-8 JSONL. */
  public static byte[] file(String idPrefix, int count) {
    return join(lines(idPrefix, count));
  }

  public static List<String> lines(String idPrefix, int count) {
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = idPrefix + String.format("%06d", i);
      lines.add(line(id, "prompt " + id));
    }
    return lines;
  }

  public static byte[] join(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
