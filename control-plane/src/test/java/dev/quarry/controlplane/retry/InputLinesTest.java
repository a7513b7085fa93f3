package dev.quarry.controlplane.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.io.InputLines;
import dev.quarry.job.io.JsonlLineFormat;
import dev.quarry.job.record.SourceLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry tool numbers and cuts lines exactly as the job's reader does, or generated ids would
 * not match.
 */
class InputLinesTest {
  private static final int MAX = 100;

  @TempDir java.nio.file.Path dir;

  /** A line as seen: number, length and bytes (null when over the limit). */
  private record Seen(long number, long length, String text) {}

  @Test
  void linesAgreeWithTheJobsReader() throws IOException {
    Random random = new Random(11);
    for (int round = 0; round < 20; round++) {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      List<Long> offsets = new ArrayList<>();
      int lines = random.nextInt(40);
      for (int i = 0; i < lines; i++) {
        offsets.add((long) content.size());
        int kind = random.nextInt(6);
        String line =
            switch (kind) {
              case 0 -> "";
              case 1 -> "   \r";
              case 2 ->
                  "x"
                      .repeat(
                          MAX + 1 + random.nextInt(70_000)); // over the limit, some over the buffer
              case 3 -> "x".repeat(MAX);
              default -> "{\"recordId\":\"" + i + "\",\"modelInput\":{}}\r";
            };
        content.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        if (i < lines - 1 || random.nextBoolean()) {
          content.write('\n');
        }
      }
      byte[] bytes = content.toByteArray();

      List<Seen> ours = new ArrayList<>();
      List<Long> ourOffsets = new ArrayList<>();
      InputLines in = new InputLines(new ByteArrayInputStream(bytes), MAX);
      while (in.next()) {
        ours.add(new Seen(in.lineNumber(), in.length(), text(in.bytes())));
        ourOffsets.add(in.offset());
        if (in.bytes() == null) {
          assertThat(
                  new String(bytes, (int) in.offset(), (int) in.length(), StandardCharsets.UTF_8))
              .as("offset and length locate an over-long line")
              .matches("x+");
        }
      }
      assertThat(ours).as("round %d", round).isEqualTo(jobReads(bytes, round));
      assertThat(ourOffsets).isEqualTo(offsets.subList(0, ours.size()));
    }
  }

  private List<Seen> jobReads(byte[] content, int round) throws IOException {
    java.nio.file.Path file = dir.resolve("f" + round + ".jsonl");
    Files.write(file, content);
    FileSourceSplit split =
        new FileSourceSplit(
            "s" + round,
            new Path(file.toUri()),
            0,
            content.length,
            Files.getLastModifiedTime(file).toMillis(),
            content.length);
    List<Seen> seen = new ArrayList<>();
    try (BulkFormat.Reader<SourceLine> reader =
        new JsonlLineFormat(MAX).createReader(new Configuration(), split)) {
      BulkFormat.RecordIterator<SourceLine> batch;
      while ((batch = reader.readBatch()) != null) {
        RecordAndPosition<SourceLine> r;
        while ((r = batch.next()) != null) {
          SourceLine line = r.getRecord();
          if (!line.endOfFile) {
            seen.add(new Seen(line.lineNumber, line.length, text(line.bytes)));
          }
        }
        batch.releaseBatch();
      }
    }
    return seen;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
