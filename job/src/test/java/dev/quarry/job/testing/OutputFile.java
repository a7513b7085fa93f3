package dev.quarry.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** An output file parsed into its lines, for assertions. */
public final class OutputFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutputFile() {}

  /** Parses every line of a {@code .jsonl.out} text; fails on a line that is not JSON. */
  public static List<JsonNode> parse(String text) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      try {
        out.add(JSON.readTree(line));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException("Output line is not JSON: " + line, e);
      }
    }
    return out;
  }
}
