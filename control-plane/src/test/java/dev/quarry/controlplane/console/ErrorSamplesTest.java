package dev.quarry.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error lines counted by code from output files, within the byte budget. */
class ErrorSamplesTest {
  private final Map<String, byte[]> files = new HashMap<>();

  private OutputFiles.OutputFile file(String name, StringBuilder lines) {
    byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
    files.put(name, bytes);
    return new OutputFiles.OutputFile(name, bytes.length);
  }

  private ErrorSamples.Summary scan(List<OutputFiles.OutputFile> listing, long maxBytes)
      throws Exception {
    return ErrorSamples.scan(listing, f -> new ByteArrayInputStream(files.get(f.name())), maxBytes);
  }

  /** {@code n} lines: every third a 429, every fifth (not third) a 400 with a non-ASCII message. */
  private static StringBuilder lines(String prefix, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String id = prefix + i;
      if (i % 3 == 0) {
        out.append("{\"recordId\":\"")
            .append(id)
            .append("\",\"modelInput\":{},\"error\":{\"errorCode\":429,")
            .append("\"errorMessage\":\"Too many requests\"}}\n");
      } else if (i % 5 == 0) {
        out.append("{\"recordId\":\"")
            .append(id)
            .append("\",\"modelInput\":{},\"error\":{\"errorCode\":400,")
            .append("\"errorMessage\":\"Ungültige Eingabe — ")
            .append("é".repeat(50))
            .append("\"}}\n");
      } else {
        out.append("{\"recordId\":\"")
            .append(id)
            .append("\",\"modelInput\":{},\"modelOutput\":{\"text\":\"ok\"}}\n");
      }
    }
    return out;
  }

  @Test
  void countsEveryErrorLineByCodeAcrossFilesWhenTheBudgetAllows() throws Exception {
    var a = file("a.jsonl.out", lines("a", 30));
    var b = file("b.jsonl.out", lines("b", 15));
    var manifest = file("manifest.json.out", new StringBuilder("{\"errorRecordCount\":1}\n"));
    ErrorSamples.Summary s = scan(List.of(a, b, manifest), 1 << 20);
    assertThat(s.complete()).isTrue();
    assertThat(s.totalBytes()).isEqualTo(a.bytes() + b.bytes());
    assertThat(s.scannedBytes()).isEqualTo(s.totalBytes());
    assertThat(s.codes()).extracting(ErrorSamples.CodeGroup::code).containsExactly(429, 400);
    assertThat(s.codes().get(0).count()).isEqualTo(10 + 5);
    assertThat(s.codes().get(1).count()).isEqualTo(4 + 2);
    assertThat(s.codes().get(0).examples()).hasSize(ErrorSamples.EXAMPLES_PER_CODE);
    assertThat(s.codes().get(1).examples().get(0).message()).startsWith("Ungültige Eingabe — é");
  }

  @Test
  void stopsNearTheBudgetAndSaysTheCountsArePartial() throws Exception {
    var big = file("big.jsonl.out", lines("x", 6_000));
    var later = file("later.jsonl.out", lines("y", 100));
    long budget = 64 * 1024;
    ErrorSamples.Summary s = scan(List.of(big, later), budget);
    assertThat(s.complete()).isFalse();
    assertThat(s.totalBytes()).isEqualTo(big.bytes() + later.bytes());
    // The reader takes bytes ahead of the lines it returns, by at most its buffers (8 KiB chars).
    assertThat(s.scannedBytes()).isBetween(budget, budget + 3 * 8192);
    long errors = s.codes().stream().mapToLong(ErrorSamples.CodeGroup::count).sum();
    assertThat(errors).isPositive().isLessThan(6_000 * 7 / 15);
    assertThat(s.codes().stream().flatMap(c -> c.examples().stream()))
        .allSatisfy(e -> assertThat(e.file()).isEqualTo("big.jsonl.out"));
  }
}
