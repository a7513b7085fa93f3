package dev.quarry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.JobRun;
import dev.quarry.job.testing.OutputFile;
import dev.quarry.job.testing.RecordingProgressReporter;
import dev.quarry.job.testing.SharedS3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager dies mid-job: the job restores its last checkpoint, the output is exactly right,
 * and only records in flight or finished since that checkpoint are sent to the model again.
 */
class FailureRecoveryTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final int RECORDS = 3000;
  static final int REQUESTS_PER_SECOND = 400;
  static final long CHECKPOINT_MILLIS = 1000;

  static BedrockEmulator emulator;
  static SharedS3 s3;

  @BeforeAll
  static void start() {
    s3 = SharedS3.get();
    s3.createBucket("recovery-in");
    s3.createBucket("recovery-out");
    emulator =
        BedrockEmulator.builder()
            .port(0)
            .config(
                EmulatorConfig.builder()
                    .defaultBehavior(
                        ModelBehavior.builder()
                            .latency(LatencyProfile.fixed(Duration.ofMillis(10)))
                            .build())
                    .build())
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void killedTaskManagerResumesFromTheLastCheckpoint(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    s3.put("recovery-in", "in/a.jsonl", Corpus.file("a", RECORDS / 2));
    // b's lines are long, so its reader is still part way through it at the checkpoint the job
    // resumes from (more than the network buffers hold), and ends with a repeat of its first id:
    // after the restore the duplicate check knows that id again from the lines read again.
    List<String> bLines = new ArrayList<>();
    for (int i = 0; i < RECORDS / 2; i++) {
      String id = String.format("b%06d", i);
      bLines.add(Corpus.line(id, id + " " + "x".repeat(2_000)));
    }
    bLines.add(Corpus.line("b000000", "the same id as line 1"));
    s3.put("recovery-in", "in/b.jsonl", Corpus.join(bLines));
    InvokeLimits limits =
        InvokeLimits.builder().requestsPerMinute(REQUESTS_PER_SECOND * 60).build();
    JobSpec spec =
        JobRun.spec(emulator, "recovery0001", "s3://recovery-in/in/", "s3://recovery-out/out")
            .limits(limits)
            .checkpointIntervalMillis(CHECKPOINT_MILLIS)
            .expectedRecordCount(RECORDS + 1)
            .build();

    JobClient job = JobRun.start(spec);
    waitForProcessed(spec.jobId(), RECORDS / 3);
    long lastCheckpointTriggered =
        cluster
            .getExecutionGraph(job.getJobID())
            .get()
            .getCheckpointStatsSnapshot()
            .getHistory()
            .getLatestCompletedCheckpoint()
            .getTriggerTimestamp();
    long killedAt = System.currentTimeMillis();
    cluster.terminateTaskManager(0).get();
    cluster.startTaskManager();
    job.getJobExecutionResult().get();

    assertThat(s3.keys("recovery-out", "out/recovery0001/"))
        .as("no partial or leftover objects")
        .containsExactly(
            "out/recovery0001/a.jsonl.out",
            "out/recovery0001/b.jsonl.out",
            "out/recovery0001/manifest.json.out");
    Set<String> ids = new HashSet<>();
    for (String file : List.of("a", "b")) {
      List<JsonNode> lines =
          OutputFile.parse(s3.getString("recovery-out", "out/recovery0001/" + file + ".jsonl.out"));
      List<JsonNode> answered = lines.stream().filter(l -> l.has("modelOutput")).toList();
      assertThat(answered).hasSize(RECORDS / 2);
      answered.forEach(
          l -> assertThat(ids.add(l.path("recordId").asText())).as("duplicate line").isTrue());
      assertThat(lines).hasSize(file.equals("a") ? RECORDS / 2 : RECORDS / 2 + 1);
    }
    List<JsonNode> bErrors =
        OutputFile.parse(s3.getString("recovery-out", "out/recovery0001/b.jsonl.out")).stream()
            .filter(l -> l.has("error"))
            .toList();
    assertThat(bErrors)
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.path("error").path("errorMessage").asText())
                    .contains("duplicate recordId b000000 (first used on line 1 of this file)"));
    Manifest manifest =
        Manifest.fromJson(s3.getString("recovery-out", "out/recovery0001/manifest.json.out"));
    assertThat(manifest.processedRecordCount()).isEqualTo(RECORDS + 1);
    assertThat(manifest.successRecordCount()).isEqualTo(RECORDS);
    assertThat(manifest.errorRecordCount()).isEqualTo(1);

    ModelStats stats = emulator.stats().model(JobRun.CLAUDE);
    long reinvoked = stats.succeeded() - RECORDS;
    int inFlight = spec.parallelism() * spec.limits().maxConcurrency() * 2;
    long millisSinceCheckpoint = killedAt - lastCheckpointTriggered;
    long sinceCheckpoint = REQUESTS_PER_SECOND * millisSinceCheckpoint / 1000;
    System.out.printf(
        "Re-invoked after the TaskManager kill: %d of %d records (checkpoint interval %d ms, "
            + "killed %d ms after the last completed checkpoint was triggered; bound %d in flight + %d since)%n",
        reinvoked, RECORDS, CHECKPOINT_MILLIS, millisSinceCheckpoint, inFlight, sinceCheckpoint);
    assertThat(millisSinceCheckpoint).isLessThan(10 * CHECKPOINT_MILLIS);
    assertThat(reinvoked)
        .as("re-invocations are bounded by in-flight plus work since the last checkpoint")
        .isGreaterThanOrEqualTo(0)
        .isLessThanOrEqualTo(inFlight + sinceCheckpoint);
  }

  private static void waitForProcessed(String jobId, long records) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      List<RecordingProgressReporter.Report> reports = RecordingProgressReporter.reports(jobId);
      if (!reports.isEmpty()
          && reports.get(reports.size() - 1).progress().processedRecordCount() >= records) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Job " + jobId + " never reached " + records + " processed records");
  }
}
