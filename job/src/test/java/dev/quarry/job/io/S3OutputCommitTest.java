package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.job.stop.StopMarker;
import dev.quarry.job.testing.CuttingProxy;
import dev.quarry.job.testing.RecordingProgressReporter;
import dev.quarry.job.testing.SharedS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publishing a checkpoint's outputs to S3 (S3Proxy) when one upload breaks half way: the commit
 * fails with no trace of that object and no manifest, and the commit Flink repeats after the
 * restore leaves every object whole and once.
 */
class S3OutputCommitTest {
  static final String BUCKET = "s3-commit";
  static final int FILES = 40;
  static final String BROKEN = "part-7.jsonl.out";

  static SharedS3 s3;

  @BeforeAll
  static void start() {
    s3 = SharedS3.get();
    s3.createBucket(BUCKET);
  }

  private static String uri(String job, String name) {
    return "s3://" + BUCKET + "/" + job + "/" + name;
  }

  /** Lines of a few KiB each, so that a cut after 4 KiB falls inside the body. */
  private static byte[] contents(int i) {
    StringBuilder b = new StringBuilder();
    for (int line = 0; line < 20; line++) {
      b.append("{\"recordId\":\"r").append(i).append('-').append(line).append("\",\"pad\":\"");
      b.append("p".repeat(400)).append("\"}\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static List<CommitRequest<OutputFileCommittable>> requests(String job) {
    List<CommitRequest<OutputFileCommittable>> requests = new ArrayList<>();
    FileCounts total = new FileCounts();
    for (int i = 0; i < FILES; i++) {
      FileCounts counts = new FileCounts();
      counts.records = 20;
      counts.success = 20;
      total.add(counts);
      requests.add(
          new FirstCommitRequest(
              OutputFileCommittable.whole(
                  uri(job, "part-" + i + ".jsonl.out"), contents(i), counts)));
    }
    requests.add(
        new FirstCommitRequest(
            OutputFileCommittable.manifest(
                uri(job, OutputNaming.MANIFEST_NAME),
                Manifest.of(total.records, total.toProgress())
                    .toJson()
                    .getBytes(StandardCharsets.UTF_8),
                total,
                total.records)));
    return requests;
  }

  private static OutputFileCommitter committer(String job, OutputPublisher.S3Route route)
      throws IOException {
    RecoverableWriter writer = new Path(uri(job, "")).getFileSystem().createRecoverableWriter();
    return new OutputFileCommitter(
        new OutputPublisher(writer, route),
        8,
        job,
        RecordingProgressReporter.factory(),
        new Path(uri(job, "")),
        true);
  }

  @Test
  void anUploadBrokenHalfWayLeavesNoPartialObjectAndTheRepeatedCommitPublishesEachOnce()
      throws Exception {
    String job = "s3commit0001";
    S3Settings real = s3.settings();
    try (CuttingProxy proxy = new CuttingProxy(s3.server().endpoint(), 4 * 1024)) {
      S3Objects cut =
          new S3Objects(
              S3Objects.newClient(proxy.settingsThrough(real, new S3Patience(1_000, 1, 0, 100))));
      OutputPublisher.S3Route brokenForOne =
          path -> path.getName().equals(BROKEN) ? cut : S3Objects.of(path);
      try (OutputFileCommitter committer = committer(job, brokenForOne)) {
        assertThatThrownBy(() -> committer.commit(requests(job)))
            .isInstanceOf(IOException.class)
            .hasMessageContaining(BROKEN);
      }
      assertThat(proxy.connections()).as("upload attempts that were cut").isPositive();
    }
    List<String> afterFailure = s3.keys(BUCKET, job + "/");
    assertThat(afterFailure)
        .as("no partial object, no manifest")
        .hasSize(FILES - 1)
        .doesNotContain(job + "/" + BROKEN, job + "/" + OutputNaming.MANIFEST_NAME);
    assertThat(RecordingProgressReporter.reports(job)).isEmpty();

    // After the restore Flink commits the same committables again.
    try (OutputFileCommitter committer = committer(job, S3Objects::of)) {
      committer.commit(requests(job));
    }
    List<String> keys = s3.keys(BUCKET, job + "/");
    assertThat(keys).hasSize(FILES + 1).contains(job + "/" + OutputNaming.MANIFEST_NAME);
    for (int i = 0; i < FILES; i++) {
      assertThat(s3.getString(BUCKET, job + "/part-" + i + ".jsonl.out"))
          .isEqualTo(new String(contents(i), StandardCharsets.UTF_8));
    }
    Manifest manifest = Manifest.fromJson(s3.getString(BUCKET, job + "/manifest.json.out"));
    assertThat(manifest.processedRecordCount()).isEqualTo(FILES * 20L);
    assertThat(RecordingProgressReporter.reports(job))
        .singleElement()
        .satisfies(r -> assertThat(r.finalTotal()).isEqualTo(FILES * 20L));
  }

  @Test
  void theFirstAttemptSweepsLeftoversNextToItsOutputsAndLeavesTheOutputsAlone() throws Exception {
    String job = "s3sweep00001";
    byte[] left = "left".getBytes(StandardCharsets.UTF_8);
    s3.put(BUCKET, job + "/_part-3.jsonl.out_tmp_" + UUID.randomUUID(), left);
    s3.put(BUCKET, job + "/" + StopMarker.NAME, left);
    // a name that starts like a leftover but is not one: the user's, kept
    s3.put(BUCKET, job + "/_notes.txt", left);

    try (OutputFileCommitter committer = committer(job, S3Objects::of)) {
      committer.commit(requests(job));
    }

    assertThat(s3.keys(BUCKET, job + "/"))
        .hasSize(FILES + 2)
        .contains(job + "/" + OutputNaming.MANIFEST_NAME, job + "/_notes.txt")
        .noneMatch(k -> k.contains("_tmp_") || k.endsWith(StopMarker.NAME));
  }
}
