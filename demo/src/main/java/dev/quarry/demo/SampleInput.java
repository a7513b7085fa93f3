package dev.quarry.demo;

import java.util.ArrayList;
import java.util.List;

/** The demo's input: short questions in Anthropic Claude Messages format, one JSONL record each. */
final class SampleInput {
  private static final String[] TOPICS = {
    "the printing press", "the Silk Road", "photosynthesis", "the Apollo program",
        "plate tectonics",
    "the Rosetta Stone", "the steam engine", "the Fibonacci sequence", "coral reefs",
        "the telegraph",
    "the Great Barrier Reef", "the Hubble telescope", "quantum entanglement", "the Magna Carta",
        "volcanoes",
  };
  private static final String[] ASKS = {
    "Explain %s in one sentence.",
    "Give one surprising fact about %s.",
    "Why does %s matter today?",
    "Summarize the history of %s for a ten-year-old.",
  };

  private SampleInput() {}

  /** {@code count} records with ids {@code <prefix>-00001…}. */
  static List<String> records(String prefix, int count) {
    List<String> lines = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      String prompt =
          String.format(ASKS[i % ASKS.length], TOPICS[(i * 7 + prefix.length()) % TOPICS.length]);
      lines.add(
          "{\"recordId\":\""
              + prefix
              + "-"
              + String.format("%05d", i)
              + "\",\"modelInput\":"
              + "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,"
              + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
              + prompt
              + "\"}]}]}}");
    }
    return lines;
  }
}
