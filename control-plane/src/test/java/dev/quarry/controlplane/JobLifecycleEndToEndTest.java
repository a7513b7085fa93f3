package dev.quarry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.OutputFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/** Stop, timeouts (with an injected clock) and a control-plane restart, through the real SDK. */
class JobLifecycleEndToEndTest {
  /** 50 calls per second: 2,000 records take 40 s, long enough to act on a running job. */
  static final Map<String, String> SLOW = Map.of("quarry.job.requests-per-minute", "3000");

  private static String create(
      ControlPlaneFixture quarry, String name, String prefix, int records) {
    quarry.s3.createBucket("life-in");
    quarry.s3.createBucket("life-out");
    quarry.s3.put("life-in", prefix + "/a.jsonl", Corpus.file(name, records));
    CreateModelInvocationJobRequest request =
        ControlPlaneFixture.jobRequest(
                name, "s3://life-in/" + prefix + "/", "s3://life-out/" + prefix + "/")
            .build();
    return quarry.bedrock().createModelInvocationJob(request).jobArn();
  }

  private static String jobId(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  private static boolean processedAtLeast(GetModelInvocationJobResponse r, long n) {
    return r.status() == ModelInvocationJobStatus.IN_PROGRESS
        && r.processedRecordCount() != null
        && r.processedRecordCount() >= n;
  }

  /**
   * Output lines and manifest of a job agree with each other and with Get; returns the manifest.
   */
  private static Manifest checkOutput(
      ControlPlaneFixture quarry, String prefix, String arn, GetModelInvocationJobResponse got) {
    String dir = prefix + "/" + jobId(arn) + "/";
    Manifest manifest =
        Manifest.fromJson(quarry.s3.getString("life-out", dir + "manifest.json.out"));
    List<JsonNode> lines =
        quarry.s3.keys("life-out", dir).contains(dir + "a.jsonl.out")
            ? OutputFile.parse(quarry.s3.getString("life-out", dir + "a.jsonl.out"))
            : List.of();
    Set<String> ids = new HashSet<>();
    lines.forEach(
        l -> assertThat(ids.add(l.path("recordId").asText())).as("duplicate output line").isTrue());
    assertThat(manifest.processedRecordCount()).isEqualTo(lines.size());
    assertThat(got.processedRecordCount()).isEqualTo(manifest.processedRecordCount());
    assertThat(got.successRecordCount()).isEqualTo(manifest.successRecordCount());
    assertThat(quarry.s3.keys("life-out", dir))
        .allSatisfy(k -> assertThat(k).doesNotContain("/_").doesNotContain("/."));
    return manifest;
  }

  @Test
  void stoppingARunningJobKeepsItsPartialOutputAndManifest(@TempDir Path dir) throws Exception {
    try (ControlPlaneFixture quarry = new ControlPlaneFixture(dir, SLOW)) {
      String arn = create(quarry, "stop-me", "stop", 2000);
      quarry.await(arn, r -> processedAtLeast(r, 100), Duration.ofSeconds(60));
      quarry.bedrock().stopModelInvocationJob(b -> b.jobIdentifier(arn));
      ModelInvocationJobStatus right =
          quarry.bedrock().getModelInvocationJob(b -> b.jobIdentifier(arn)).status();
      assertThat(right).isIn(ModelInvocationJobStatus.STOPPING, ModelInvocationJobStatus.STOPPED);

      GetModelInvocationJobResponse stopped =
          quarry.await(
              arn, r -> r.status() == ModelInvocationJobStatus.STOPPED, Duration.ofSeconds(60));
      Manifest manifest = checkOutput(quarry, "stop", arn, stopped);
      assertThat(manifest.totalRecordCount()).isEqualTo(2000);
      assertThat(manifest.processedRecordCount()).isBetween(100L, 1999L);
      assertThat(stopped.endTime()).isNotNull();
      assertThatThrownBy(() -> quarry.bedrock().stopModelInvocationJob(b -> b.jobIdentifier(arn)))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("Stopped");
    }
  }

  @Test
  void timeoutsExpireQueuedJobsAndStopRunningOnesKeepingTheirWork(@TempDir Path dir)
      throws Exception {
    Map<String, String> oneAtATime = new java.util.HashMap<>(SLOW);
    oneAtATime.put("quarry.jobs.max-running", "1");
    try (ControlPlaneFixture quarry = new ControlPlaneFixture(dir, oneAtATime)) {
      String running = create(quarry, "runs-long", "t1", 2000);
      quarry.await(running, r -> processedAtLeast(r, 50), Duration.ofSeconds(60));
      String queued = create(quarry, "waits", "t2", 10);
      String stoppedInQueue = create(quarry, "stopped-queued", "t3", 10);
      quarry.await(
          queued, r -> r.status() == ModelInvocationJobStatus.SCHEDULED, Duration.ofSeconds(30));
      quarry.await(
          stoppedInQueue,
          r -> r.status() == ModelInvocationJobStatus.SCHEDULED,
          Duration.ofSeconds(30));
      quarry.bedrock().stopModelInvocationJob(b -> b.jobIdentifier(stoppedInQueue));
      quarry.await(
          stoppedInQueue,
          r -> r.status() == ModelInvocationJobStatus.STOPPED,
          Duration.ofSeconds(10));

      quarry.clock.advance(Duration.ofHours(25));
      GetModelInvocationJobResponse expired =
          quarry.await(
              queued, r -> r.status() == ModelInvocationJobStatus.EXPIRED, Duration.ofSeconds(10));
      assertThat(expired.message()).contains("Scheduled").contains("24 hours");
      assertThat(expired.jobExpirationTime())
          .isEqualTo(expired.submitTime().plus(Duration.ofHours(24)));

      GetModelInvocationJobResponse partial =
          quarry.await(
              running,
              r -> r.status() == ModelInvocationJobStatus.PARTIALLY_COMPLETED,
              Duration.ofSeconds(60));
      assertThat(partial.message()).contains("timeout");
      Manifest manifest = checkOutput(quarry, "t1", running, partial);
      assertThat(manifest.processedRecordCount()).isBetween(50L, 1999L);
    }
  }

  @Test
  void aRestartedControlPlaneResumesItsJobFromTheLastCheckpoint(@TempDir Path dir)
      throws Exception {
    try (ControlPlaneFixture quarry = new ControlPlaneFixture(dir, SLOW)) {
      String arn = create(quarry, "survives", "restart", 600);
      quarry.await(arn, r -> processedAtLeast(r, 150), Duration.ofSeconds(60));
      quarry.stop();
      quarry.start();
      GetModelInvocationJobResponse done =
          quarry.await(
              arn,
              ControlPlaneFixture.statusIn(
                  ModelInvocationJobStatus.COMPLETED, ModelInvocationJobStatus.FAILED),
              Duration.ofSeconds(90));
      assertThat(done.status()).as(done.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
      Manifest manifest = checkOutput(quarry, "restart", arn, done);
      assertThat(manifest.processedRecordCount()).isEqualTo(600);
      assertThat(manifest.successRecordCount()).isEqualTo(600);
      long calls = quarry.emulator.stats().model(ControlPlaneFixture.MODEL).succeeded();
      System.out.printf("Restart re-invoked %d of 600 records%n", calls - 600);
      assertThat(calls - 600)
          .as("only what ran since the last checkpoint is paid again")
          .isLessThan(300);
    }
  }
}
