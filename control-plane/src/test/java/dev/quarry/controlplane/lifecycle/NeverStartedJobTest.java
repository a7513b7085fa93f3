package dev.quarry.controlplane.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.testing.Corpus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;

/**
 * Jobs left InProgress without a Flink job, as a control plane that died between the move and the
 * launch leaves them: after the grace they are started through the same launch path as any other,
 * and one whose launch throws fails saying why instead of holding up the jobs behind it on every
 * pass.
 */
class NeverStartedJobTest {
  private static final String ACCOUNT = "123456789012";

  @Test
  void neverStartedJobsAreStartedAndOneThatCannotBeFailsAlone(@TempDir Path dir) throws Exception {
    try (ControlPlaneFixture quarry = new ControlPlaneFixture(dir, Map.of())) {
      quarry.s3.createBucket("never-in");
      quarry.s3.createBucket("never-out");
      quarry.s3.put("never-in", "q/a.jsonl", Corpus.file("never", 30));
      Instant leftAt = quarry.clock.instant().minus(JobReconciler.LAUNCH_GRACE).minusSeconds(5);

      // Submitted first, so the pass reaches it first: its spec cannot be built (RuntimeException).
      JobRecord broken =
          quarry
              .plane()
              .store()
              .createIfAbsent(
                  inProgress(
                      "aaaaaaaaaaa1",
                      leftAt,
                      "{\"s3InputDataConfig\":{\"s3Uri\":\"http://not-s3/q/\"}}"))
              .job();
      JobRecord sound =
          quarry
              .plane()
              .store()
              .createIfAbsent(
                  inProgress(
                      "aaaaaaaaaaa2",
                      leftAt.plusMillis(1),
                      "{\"s3InputDataConfig\":{\"s3Uri\":\"s3://never-in/q/\"}}"))
              .job();

      GetModelInvocationJobResponse failed =
          quarry.await(
              broken.jobArn(),
              r -> r.status() != ModelInvocationJobStatus.IN_PROGRESS,
              Duration.ofSeconds(30));
      assertThat(failed.status()).isEqualTo(ModelInvocationJobStatus.FAILED);
      assertThat(failed.message())
          .startsWith(FlinkJobControl.START_FAILED)
          .contains("http://not-s3/q/");

      GetModelInvocationJobResponse done =
          quarry.await(
              sound.jobArn(),
              r -> r.status() != ModelInvocationJobStatus.IN_PROGRESS,
              Duration.ofSeconds(90));
      assertThat(done.status()).as(done.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
      assertThat(done.successRecordCount()).isEqualTo(30);
      assertThat(quarry.plane().store().find(sound.jobId()).orElseThrow().flinkJobId())
          .as("the launch was recorded")
          .isNotNull();
    }
  }

  private static JobRecord inProgress(String jobId, Instant at, String inputConfigJson) {
    return JobRecord.builder()
        .jobId(jobId)
        .jobArn("arn:aws:bedrock:us-east-1:" + ACCOUNT + ":model-invocation-job/" + jobId)
        .jobName("never-started-" + jobId)
        .modelId(ControlPlaneFixture.MODEL)
        .roleArn(ControlPlaneFixture.ROLE)
        .status(JobStatus.IN_PROGRESS)
        .submitTime(at)
        .lastModifiedTime(at)
        .inputConfigJson(inputConfigJson)
        .outputConfigJson("{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://never-out/r/\"}}")
        .timeoutDurationInHours(24)
        .jobExpirationTime(at.plus(Duration.ofHours(24)))
        .modelInvocationType("InvokeModel")
        .totalRecordCount(30L)
        .build();
  }
}
