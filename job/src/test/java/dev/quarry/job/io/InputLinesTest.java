package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lines cut the same from a whole object in memory (read with a buffer of its size) as from a
 * stream (read 64 KiB at a time): numbers, offsets, lengths and bytes.
 */
class InputLinesTest {
  static final long MAX_LINE = 100;

  private static List<String> lines(InputStream in, long offset, long linesBefore)
      throws IOException {
    InputLines lines = new InputLines(in, MAX_LINE, offset, linesBefore);
    List<String> out = new ArrayList<>();
    while (lines.next()) {
      out.add(
          lines.lineNumber()
              + "@"
              + lines.offset()
              + "+"
              + lines.length()
              + "->"
              + lines.nextOffset()
              + ":"
              + (lines.bytes() == null
                  ? "<too long>"
                  : new String(lines.bytes(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static void assertSameBothWays(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<String> streamed =
        lines(new BufferedInputStream(new ByteArrayInputStream(bytes)) {}, 0, 0);
    assertThat(lines(new ByteArrayInputStream(bytes), 0, 0)).isEqualTo(streamed);
    // restored after the first line: what InputObjects hands over is the tail alone
    int firstNewline = text.indexOf('\n');
    if (firstNewline >= 0) {
      byte[] tail = text.substring(firstNewline + 1).getBytes(StandardCharsets.UTF_8);
      assertThat(lines(new ByteArrayInputStream(tail), firstNewline + 1, 1))
          .isEqualTo(streamed.subList(1, streamed.size()));
    }
  }

  @Test
  void wholeObjectsAndStreamsGiveTheSameLines() throws IOException {
    assertSameBothWays("{\"a\":1}\n{\"a\":2}\n");
    assertSameBothWays("{\"a\":1}\n\n  \n{\"a\":2}"); // blank lines, no final newline
    assertSameBothWays("x".repeat(250) + "\n{\"b\":1}\n" + "y".repeat(101)); // over the limit
    assertSameBothWays("");
    assertSameBothWays("\n");
  }

  @Test
  void anEmptyObjectHasNoLines() throws IOException {
    assertThat(lines(new ByteArrayInputStream(new byte[0]), 0, 0)).isEmpty();
  }
}
