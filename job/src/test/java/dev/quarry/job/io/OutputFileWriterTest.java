package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordResult;
import dev.quarry.job.testing.RecordingProgressReporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer on the local file system: which outputs travel whole, which are streamed, and what a
 * checkpoint holds.
 */
class OutputFileWriterTest {
  @TempDir java.nio.file.Path dir;
  RecoverableWriter writer;
  OutputNaming naming;

  /** Time that never fires: the progress timer is not what these tests look at. */
  static final class StillTime implements ProcessingTimeService {
    @Override
    public long getCurrentProcessingTime() {
      return 0;
    }

    @Override
    public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
      return null;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    writer = new Path(dir.toUri()).getFileSystem().createRecoverableWriter();
    naming =
        new OutputNaming(
            dir.resolve("in").toUri().toString(), dir.resolve("out").toUri().toString());
  }

  private OutputFileWriter writer(WholeOutputLimits limits, OutputWriterState restored)
      throws Exception {
    return new OutputFileWriter(
        writer,
        naming,
        -1,
        restored,
        RecordingProgressReporter.factory().create("writer1"),
        0,
        new StillTime(),
        60_000,
        limits);
  }

  private String input(String name) {
    return new Path(new Path(dir.resolve("in").toUri()), name).toString();
  }

  /**
   * Writes {@code lines} results of {@code size} bytes each for one input file, then its
   * end-of-file marker.
   */
  private void writeFile(OutputFileWriter w, String name, int lines, int size) throws Exception {
    for (int i = 1; i <= lines; i++) {
      String text =
          "{\"recordId\":\""
              + name
              + i
              + "\",\"x\":\""
              + "y".repeat(Math.max(0, size - 40))
              + "\"}";
      w.write(RecordResult.output(input(name), i, text, true, 1, 1), null);
    }
    w.write(RecordResult.passThrough(BatchRecord.endOfFile(input(name), lines)), null);
  }

  @Test
  void smallOutputsAreWholeALargeOneIsStreamedAndTheManifestComesLast() throws Exception {
    OutputFileWriter w =
        writer(
            new WholeOutputLimits(1000, 1 << 20),
            new OutputWriterState(List.of(), new FileCounts()));
    writeFile(w, "a.jsonl", 5, 100);
    writeFile(w, "big.jsonl", 30, 100);
    writeFile(w, "empty.jsonl", 0, 0);
    w.flush(true);
    List<OutputFileCommittable> out = new ArrayList<>(w.prepareCommit());

    assertThat(out)
        .extracting(c -> new Path(c.outputPath()).getName())
        .containsExactly("a.jsonl.out", "big.jsonl.out", "empty.jsonl.out", "manifest.json.out");
    assertThat(out.get(0).contents()).isNotNull();
    assertThat(new String(out.get(0).contents(), StandardCharsets.UTF_8).lines()).hasSize(5);
    assertThat(out.get(1).recoverable()).as("over 1000 bytes: streamed").isNotNull();
    assertThat(out.get(2).contents()).isEmpty();
    assertThat(out.get(3).isManifest()).isTrue();
    assertThat(
            Manifest.fromJson(new String(out.get(3).contents(), StandardCharsets.UTF_8))
                .processedRecordCount())
        .isEqualTo(35);
    w.close();
  }

  @Test
  void pastTheCheckpointBudgetFinishedOutputsAreStreamedAndTheBudgetStartsAgainAtTheNextCheckpoint()
      throws Exception {
    // Files of about 500 bytes; 1,200 bytes of whole outputs per checkpoint: two whole, then
    // streamed.
    OutputFileWriter w =
        writer(
            new WholeOutputLimits(10_000, 1_200),
            new OutputWriterState(List.of(), new FileCounts()));
    for (int f = 0; f < 4; f++) {
      writeFile(w, "f" + f + ".jsonl", 5, 100);
    }
    Collection<OutputFileCommittable> first = w.prepareCommit();
    assertThat(first)
        .extracting(c -> c.contents() != null)
        .containsExactly(true, true, false, false);

    writeFile(w, "g.jsonl", 5, 100);
    assertThat(w.prepareCommit())
        .singleElement()
        .satisfies(c -> assertThat(c.contents()).isNotNull());
    w.close();
  }

  @Test
  void anOpenSmallOutputIsCheckpointedWithItsLinesAndResumesFromThem() throws Exception {
    OutputFileWriter w =
        writer(WholeOutputLimits.DEFAULT, new OutputWriterState(List.of(), new FileCounts()));
    String file = input("a.jsonl");
    w.write(RecordResult.output(file, 1, "{\"recordId\":\"one\"}", true, 1, 1), null);
    w.write(RecordResult.output(file, 2, "{\"recordId\":\"two\"}", true, 1, 1), null);
    List<OutputWriterState> state = w.snapshotState(1);
    assertThat(state.get(0).openFiles())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.resumable()).isNull();
              assertThat(new String(f.buffered(), StandardCharsets.UTF_8))
                  .isEqualTo("{\"recordId\":\"one\"}\n{\"recordId\":\"two\"}\n");
            });
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile))
          .as("nothing written to the file system yet")
          .isEmpty();
    }
    w.close();

    OutputFileWriter restored = writer(WholeOutputLimits.DEFAULT, state.get(0));
    restored.write(RecordResult.output(file, 3, "{\"recordId\":\"three\"}", true, 1, 1), null);
    restored.write(RecordResult.passThrough(BatchRecord.endOfFile(file, 3)), null);
    assertThat(restored.prepareCommit())
        .singleElement()
        .satisfies(
            c ->
                assertThat(new String(c.contents(), StandardCharsets.UTF_8))
                    .isEqualTo(
                        "{\"recordId\":\"one\"}\n{\"recordId\":\"two\"}\n{\"recordId\":\"three\"}\n"));
    restored.close();
  }
}
