package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.job.stop.StopMarker;
import dev.quarry.job.testing.RecordingProgressReporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer on the local file system: many files at once, the manifest only after all of them.
 */
class OutputFileCommitterTest {
  static final int THREADS = 4;
  static final int FILES = 200;

  @TempDir java.nio.file.Path dir;
  RecoverableWriter writer;

  @BeforeEach
  void writer() throws IOException {
    writer = new Path(dir.toUri()).getFileSystem().createRecoverableWriter();
  }

  /**
   * Watches the real publisher: how many publishes run at once, and what is on disk when the
   * manifest starts.
   */
  final class Watched implements ParallelPublisher.Publish {
    final OutputPublisher real = new OutputPublisher(writer);
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    /**
     * The first THREADS file publishes wait here until all of them run, which only a parallel
     * commit allows.
     */
    final CountDownLatch together = new CountDownLatch(THREADS);

    final List<String> failOn = new ArrayList<>();
    volatile long filesOnDiskAtManifest = -1;
    volatile int inFlightAtManifest = -1;

    @Override
    public void publish(OutputFileCommittable c) throws IOException {
      if (c.isManifest()) {
        filesOnDiskAtManifest = outputFiles().size();
        inFlightAtManifest = inFlight.get();
        real.publish(c);
        return;
      }
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        together.countDown();
        if (!together.await(20, TimeUnit.SECONDS)) {
          throw new IOException("publishes did not run " + THREADS + " at once");
        }
        if (failOn.contains(new Path(c.outputPath()).getName())) {
          throw new IOException("injected failure publishing " + c.outputPath());
        }
        real.publish(c);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  private static byte[] contents(int i) {
    return ("{\"recordId\":\"r" + i + "\"}\n").getBytes(StandardCharsets.UTF_8);
  }

  private String outputPath(String name) {
    return new Path(new Path(dir.toUri()), name).toString();
  }

  private List<CommitRequest<OutputFileCommittable>> requests() {
    List<CommitRequest<OutputFileCommittable>> requests = new ArrayList<>();
    FileCounts total = new FileCounts();
    for (int i = 0; i < FILES; i++) {
      FileCounts counts = new FileCounts();
      counts.records = 1;
      counts.success = 1;
      total.add(counts);
      requests.add(
          new FirstCommitRequest(
              OutputFileCommittable.whole(
                  outputPath("part-" + i + ".jsonl.out"), contents(i), counts)));
    }
    // The manifest in the middle of the batch: its place in the request list must not matter.
    requests.add(
        FILES / 2,
        new FirstCommitRequest(
            OutputFileCommittable.manifest(
                outputPath(OutputNaming.MANIFEST_NAME),
                Manifest.of(FILES, total.toProgress()).toJson().getBytes(StandardCharsets.UTF_8),
                total,
                FILES)));
    return requests;
  }

  private List<String> outputFiles() throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("part-"))
          .sorted()
          .toList();
    }
  }

  private List<String> allNames() throws IOException {
    return namesIn(dir);
  }

  private static List<String> namesIn(java.nio.file.Path dir) throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private OutputFileCommitter committer(ParallelPublisher.Publish watched, String jobId) {
    return committer(watched, jobId, true);
  }

  private OutputFileCommitter committer(
      ParallelPublisher.Publish watched, String jobId, boolean firstAttempt) {
    return new OutputFileCommitter(
        watched,
        THREADS,
        jobId,
        RecordingProgressReporter.factory(),
        new Path(dir.toUri()),
        firstAttempt);
  }

  private java.nio.file.Path leftover(String relative) throws IOException {
    java.nio.file.Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, "left");
  }

  @Test
  void aFirstAttemptSweepsTheFoldersItWroteToAndAFolderNoOutputReachedIsNotItsOwn()
      throws Exception {
    leftover("_part-3.jsonl.out_tmp_" + UUID.randomUUID());
    leftover(".part-4.jsonl.out.inprogress." + UUID.randomUUID());
    leftover(StopMarker.NAME);
    leftover("elsewhere/_x.jsonl.out_tmp_" + UUID.randomUUID());

    try (OutputFileCommitter committer = committer(new Watched(), "sweepfirst01")) {
      committer.commit(requests());
    }

    assertThat(allNames())
        .as("outputs, the manifest and the folder no output of this attempt went to")
        .hasSize(FILES + 2)
        .contains(OutputNaming.MANIFEST_NAME, "elsewhere");
    assertThat(namesIn(dir.resolve("elsewhere"))).hasSize(1);
  }

  @Test
  void aRestoredAttemptSweepsTheWholeJobFolder() throws Exception {
    leftover("_part-3.jsonl.out_tmp_" + UUID.randomUUID());
    leftover(StopMarker.NAME);
    leftover("elsewhere/_x.jsonl.out_tmp_" + UUID.randomUUID());

    try (OutputFileCommitter committer = committer(new Watched(), "sweeprest01", false)) {
      committer.commit(requests());
    }

    assertThat(allNames()).hasSize(FILES + 2).contains(OutputNaming.MANIFEST_NAME, "elsewhere");
    assertThat(namesIn(dir.resolve("elsewhere"))).as("swept below the job folder").isEmpty();
  }

  @Test
  void publishesFilesManyAtOnceAndTheManifestOnlyAfterEveryFile() throws Exception {
    Watched watched = new Watched();
    try (OutputFileCommitter committer = committer(watched, "commitpar01")) {
      committer.commit(requests());
    }

    assertThat(watched.maxInFlight.get()).as("publishes at once").isEqualTo(THREADS);
    assertThat(watched.filesOnDiskAtManifest)
        .as("output files on disk when the manifest was written")
        .isEqualTo(FILES);
    assertThat(watched.inFlightAtManifest)
        .as("publishes still running when the manifest was written")
        .isZero();
    assertThat(outputFiles()).hasSize(FILES);
    for (int i = 0; i < FILES; i++) {
      assertThat(Files.readAllBytes(dir.resolve("part-" + i + ".jsonl.out")))
          .isEqualTo(contents(i));
    }
    Manifest manifest =
        Manifest.fromJson(Files.readString(dir.resolve(OutputNaming.MANIFEST_NAME)));
    assertThat(manifest.processedRecordCount()).isEqualTo(FILES);
    assertThat(RecordingProgressReporter.reports("commitpar01"))
        .singleElement()
        .satisfies(r -> assertThat(r.finalTotal()).isEqualTo(FILES));
    assertThat(allNames()).as("no temporary files left").hasSize(FILES + 1);
  }

  @Test
  void aFailedPublishFailsTheCommitAfterTheOthersEndAndWritesNoManifest() throws Exception {
    Watched watched = new Watched();
    watched.failOn.add("part-7.jsonl.out");
    try (OutputFileCommitter committer = committer(watched, "commitfail01")) {
      assertThatThrownBy(() -> committer.commit(requests()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("part-7.jsonl.out");
      assertThat(watched.inFlight.get()).as("publishes running after the commit failed").isZero();
    }
    assertThat(watched.filesOnDiskAtManifest).as("manifest publish attempted").isEqualTo(-1);
    assertThat(dir.resolve(OutputNaming.MANIFEST_NAME)).doesNotExist();
    assertThat(outputFiles()).hasSize(FILES - 1).doesNotContain("part-7.jsonl.out");
    assertThat(RecordingProgressReporter.reports("commitfail01")).isEmpty();
  }

  @Test
  void committingAgainAfterARestoreGivesTheSameObjects() throws Exception {
    try (OutputFileCommitter committer = committer(new Watched(), "commitagain1")) {
      committer.commit(requests());
    }
    String manifest = Files.readString(dir.resolve(OutputNaming.MANIFEST_NAME));
    try (OutputFileCommitter committer = committer(new Watched(), "commitagain1")) {
      committer.commit(requests());
    }
    assertThat(Files.readString(dir.resolve(OutputNaming.MANIFEST_NAME))).isEqualTo(manifest);
    for (int i = 0; i < FILES; i++) {
      assertThat(Files.readAllBytes(dir.resolve("part-" + i + ".jsonl.out")))
          .isEqualTo(contents(i));
    }
    assertThat(allNames()).hasSize(FILES + 1);
  }

  @Test
  void aStreamedOutputIsCommittedFromItsRecoverableAndAnEmptyOneIsAnEmptyFile() throws Exception {
    RecoverableFsDataOutputStream out = writer.open(new Path(outputPath("big.jsonl.out")));
    out.write("line 1\n".getBytes(StandardCharsets.UTF_8));
    out.persist();
    out.write("line 2\n".getBytes(StandardCharsets.UTF_8));
    RecoverableWriter.CommitRecoverable recoverable = out.closeForCommit().getRecoverable();
    assertThat(dir.resolve("big.jsonl.out")).as("not visible before the commit").doesNotExist();

    List<CommitRequest<OutputFileCommittable>> requests =
        List.of(
            new FirstCommitRequest(
                OutputFileCommittable.streamed(
                    outputPath("big.jsonl.out"), recoverable, new FileCounts(), List.of())),
            new FirstCommitRequest(
                OutputFileCommittable.whole(
                    outputPath("empty.jsonl.out"), new byte[0], new FileCounts())));
    try (OutputFileCommitter committer =
        new OutputFileCommitter(
            new OutputPublisher(writer),
            THREADS,
            "commitstream1",
            RecordingProgressReporter.factory(),
            new Path(dir.toUri()),
            true)) {
      committer.commit(requests);
    }
    assertThat(Files.readString(dir.resolve("big.jsonl.out"))).isEqualTo("line 1\nline 2\n");
    assertThat(Files.size(dir.resolve("empty.jsonl.out"))).isZero();
    assertThat(allNames()).containsExactlyInAnyOrder("big.jsonl.out", "empty.jsonl.out");
  }
}
