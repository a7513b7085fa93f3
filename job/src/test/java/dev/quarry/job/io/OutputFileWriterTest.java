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
    return writer(limits, restored, false);
  }

  private OutputFileWriter writer(
      WholeOutputLimits limits, OutputWriterState restored, boolean splitErrors) throws Exception {
    return new OutputFileWriter(
        writer,
        naming,
        -1,
        splitErrors,
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
  void aStreamedOutputCheckpointedBetweenChunksResumesWithEveryLineOnce() throws Exception {
    OutputFileWriter w =
        writer(
            new WholeOutputLimits(1000, 1 << 20),
            new OutputWriterState(List.of(), new FileCounts()));
    String file = input("big.jsonl");
    // 1,000 lines of 100 bytes: streamed, one chunk written, the rest still in memory.
    for (int i = 1; i <= 1_000; i++) {
      w.write(RecordResult.output(file, i, line(i), true, 1, 1), null);
    }
    List<OutputWriterState> state = w.snapshotState(1);
    assertThat(state.get(0).openFiles())
        .singleElement()
        .satisfies(f -> assertThat(f.resumable()).as("streamed").isNotNull());
    // Written after the checkpoint, then lost with the failing writer: replayed below.
    for (int i = 1_001; i <= 1_200; i++) {
      w.write(RecordResult.output(file, i, line(i), true, 1, 1), null);
    }
    w.close();

    OutputFileWriter restored = writer(new WholeOutputLimits(1000, 1 << 20), state.get(0));
    for (int i = 1_001; i <= 1_500; i++) {
      restored.write(RecordResult.output(file, i, line(i), true, 1, 1), null);
    }
    restored.write(RecordResult.passThrough(BatchRecord.endOfFile(file, 1_500)), null);
    OutputFileCommittable out = restored.prepareCommit().iterator().next();
    writer.recoverForCommit(out.recoverable()).commit();
    restored.close();

    List<String> lines =
        Files.readAllLines(java.nio.file.Path.of(new Path(out.outputPath()).toUri()));
    assertThat(lines).hasSize(1_500);
    for (int i = 1; i <= 1_500; i++) {
      assertThat(lines.get(i - 1)).isEqualTo(line(i));
    }
  }

  /** Line {@code i} of a streamed output: 100 bytes with the newline the result adds. */
  private static String line(int i) {
    String head = "{\"recordId\":\"r" + i + "\",\"x\":\"";
    return head + "y".repeat(100 - head.length() - 3) + "\"}";
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

  @Test
  void keptApartErrorLinesGoToTheirOwnOutputAndSurviveARestoreBesideTheAnswers() throws Exception {
    // 60-byte lines, 100 bytes kept whole per output: the answers stream, the one error stays
    // whole.
    WholeOutputLimits limits = new WholeOutputLimits(100, 1 << 20);
    OutputFileWriter w = writer(limits, new OutputWriterState(List.of(), new FileCounts()), true);
    String file = input("a.jsonl");
    String ok = "{\"custom_id\":\"ok-%d\",\"response\":{\"status_code\":200}}     ";
    w.write(RecordResult.output(file, 1, String.format(ok, 1), true, 3, 4), null);
    w.write(RecordResult.output(file, 2, "{\"custom_id\":\"bad-2\"}", false, 0, 0), null);
    w.write(RecordResult.output(file, 3, String.format(ok, 3), true, 3, 4), null);
    List<OutputWriterState> state = w.snapshotState(1);
    assertThat(state.get(0).openFiles())
        .extracting(f -> new Path(f.outputPath()).getName(), f -> f.resumable() != null)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a.jsonl.out", true),
            org.assertj.core.groups.Tuple.tuple("a.jsonl.errors.out", false));
    w.close();

    OutputFileWriter restored = writer(limits, state.get(0), true);
    restored.write(RecordResult.output(file, 4, "{\"custom_id\":\"bad-4\"}", false, 0, 0), null);
    restored.write(RecordResult.passThrough(BatchRecord.endOfFile(file, 4)), null);
    restored.flush(true);
    List<OutputFileCommittable> out = new ArrayList<>(restored.prepareCommit());
    assertThat(out)
        .extracting(c -> new Path(c.outputPath()).getName())
        .containsExactly("a.jsonl.out", "a.jsonl.errors.out", "manifest.json.out");
    assertThat(out.get(0).recoverable()).as("over 100 bytes: streamed").isNotNull();
    assertThat(new String(out.get(1).contents(), StandardCharsets.UTF_8))
        .isEqualTo("{\"custom_id\":\"bad-2\"}\n{\"custom_id\":\"bad-4\"}\n");
    Manifest manifest =
        Manifest.fromJson(new String(out.get(2).contents(), StandardCharsets.UTF_8));
    assertThat(manifest.processedRecordCount()).isEqualTo(4);
    assertThat(manifest.successRecordCount()).isEqualTo(2);
    assertThat(manifest.errorRecordCount()).isEqualTo(2);
    assertThat(manifest.inputTokenCount()).isEqualTo(6);
    restored.close();
  }

  @Test
  void withoutErrorsNoErrorOutputIsCommitted() throws Exception {
    OutputFileWriter w =
        writer(WholeOutputLimits.DEFAULT, new OutputWriterState(List.of(), new FileCounts()), true);
    writeFile(w, "a.jsonl", 3, 60);
    assertThat(w.prepareCommit())
        .extracting(c -> new Path(c.outputPath()).getName())
        .containsExactly("a.jsonl.out");
    w.close();
  }
}
