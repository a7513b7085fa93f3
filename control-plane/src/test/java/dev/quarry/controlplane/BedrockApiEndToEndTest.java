package dev.quarry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.OutputFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobSummary;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.S3InputFormat;
import software.amazon.awssdk.services.bedrock.model.Tag;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/**
 * The real AWS SDK {@link BedrockClient} drives every operation against a running control plane.
 */
class BedrockApiEndToEndTest {
  @TempDir static Path dataDir;
  static ControlPlaneFixture quarry;
  static BedrockClient bedrock;

  @BeforeAll
  static void start() throws Exception {
    quarry = new ControlPlaneFixture(dataDir, Map.of());
    bedrock = quarry.bedrock();
    quarry.s3.createBucket("api-in");
    quarry.s3.createBucket("api-out");
  }

  @AfterAll
  static void stop() {
    quarry.close();
  }

  @Test
  void aJobRunsFromCreateToCompletedWithBedrockExactOutput() throws Exception {
    quarry.s3.put("api-in", "full/a.jsonl", Corpus.file("a", 120));
    quarry.s3.put("api-in", "full/sub/b.jsonl", Corpus.file("b", 30));
    String arn =
        bedrock
            .createModelInvocationJob(
                ControlPlaneFixture.jobRequest(
                        "full-run-1", "s3://api-in/full/", "s3://api-out/results/")
                    .timeoutDurationInHours(48)
                    .tags(Tag.builder().key("team").value("search").build())
                    .build())
            .jobArn();
    assertThat(arn)
        .matches("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/[a-z0-9]{12}");
    String jobId = arn.substring(arn.lastIndexOf('/') + 1);

    GetModelInvocationJobResponse done =
        quarry.await(
            arn,
            ControlPlaneFixture.statusIn(
                ModelInvocationJobStatus.COMPLETED, ModelInvocationJobStatus.FAILED),
            Duration.ofSeconds(120));
    assertThat(done.status()).as(done.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
    assertThat(done.totalRecordCount()).isEqualTo(150);
    assertThat(done.processedRecordCount()).isEqualTo(150);
    assertThat(done.successRecordCount()).isEqualTo(150);
    assertThat(done.errorRecordCount()).isZero();
    assertThat(done.jobName()).isEqualTo("full-run-1");
    assertThat(done.roleArn()).isEqualTo(ControlPlaneFixture.ROLE);
    assertThat(done.timeoutDurationInHours()).isEqualTo(48);
    assertThat(done.jobExpirationTime()).isEqualTo(done.submitTime().plus(Duration.ofHours(48)));
    assertThat(done.endTime()).isAfterOrEqualTo(done.submitTime());
    assertThat(done.inputDataConfig().s3InputDataConfig().s3Uri()).isEqualTo("s3://api-in/full/");
    assertThat(done.inputDataConfig().s3InputDataConfig().s3InputFormat())
        .isEqualTo(S3InputFormat.JSONL);

    assertThat(bedrock.getModelInvocationJob(b -> b.jobIdentifier(jobId)).jobArn())
        .as("by bare id")
        .isEqualTo(arn);
    assertThat(quarry.s3.keys("api-out", "results/" + jobId + "/"))
        .containsExactly(
            "results/" + jobId + "/a.jsonl.out",
            "results/" + jobId + "/manifest.json.out",
            "results/" + jobId + "/sub/b.jsonl.out");
    assertThat(
            OutputFile.parse(quarry.s3.getString("api-out", "results/" + jobId + "/a.jsonl.out")))
        .hasSize(120);
    Manifest manifest =
        Manifest.fromJson(
            quarry.s3.getString("api-out", "results/" + jobId + "/manifest.json.out"));
    assertThat(manifest.successRecordCount()).isEqualTo(150);
    assertThat(manifest.totalRecordCount()).isEqualTo(150);

    assertThat(bedrock.listTagsForResource(b -> b.resourceARN(arn)).tags())
        .containsExactly(Tag.builder().key("team").value("search").build());
    List<ModelInvocationJobSummary> listed = new ArrayList<>();
    bedrock
        .listModelInvocationJobsPaginator(b -> b.nameContains("full-run").maxResults(1))
        .invocationJobSummaries()
        .forEach(listed::add);
    assertThat(listed).extracting(ModelInvocationJobSummary::jobArn).containsExactly(arn);
    assertThat(listed.get(0).successRecordCount()).isEqualTo(150);

    assertThatThrownBy(() -> bedrock.stopModelInvocationJob(b -> b.jobIdentifier(arn)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Completed");
  }

  @Test
  void tenThreadsCreatingWithOneTokenMakeOneJob() throws Exception {
    quarry.s3.put("api-in", "idem/a.jsonl", Corpus.file("i", 5));
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(
          () ->
              bedrock
                  .createModelInvocationJob(
                      ControlPlaneFixture.jobRequest(
                              "idempotent-1", "s3://api-in/idem/", "s3://api-out/idem/")
                          .clientRequestToken("token-42")
                          .build())
                  .jobArn());
    }
    Set<String> arns = new HashSet<>();
    for (Future<String> f : pool.invokeAll(calls)) {
      arns.add(f.get());
    }
    pool.shutdown();
    assertThat(arns).hasSize(1);
    List<ModelInvocationJobSummary> jobs = new ArrayList<>();
    bedrock
        .listModelInvocationJobsPaginator(b -> b.nameContains("idempotent-1"))
        .invocationJobSummaries()
        .forEach(jobs::add);
    assertThat(jobs).hasSize(1);
    quarry.await(
        arns.iterator().next(),
        r -> r.status() == ModelInvocationJobStatus.COMPLETED,
        Duration.ofSeconds(90));
  }

  @Test
  void badInputFailsValidationWithAMessageThatSaysWhere() throws Exception {
    quarry.s3.put("api-in", "nojsonl/readme.txt", "hello".getBytes());
    quarry.s3.put("api-in", "notjson/a.jsonl", "this is,a csv\n".getBytes());
    String none =
        bedrock
            .createModelInvocationJob(
                ControlPlaneFixture.jobRequest(
                        "no-jsonl", "s3://api-in/nojsonl/", "s3://api-out/x/")
                    .build())
            .jobArn();
    String csv =
        bedrock
            .createModelInvocationJob(
                ControlPlaneFixture.jobRequest(
                        "not-json", "s3://api-in/notjson/", "s3://api-out/x/")
                    .build())
            .jobArn();
    String missing =
        bedrock
            .createModelInvocationJob(
                ControlPlaneFixture.jobRequest(
                        "missing-input", "s3://api-in/does-not-exist/", "s3://api-out/x/")
                    .build())
            .jobArn();
    GetModelInvocationJobResponse r1 =
        quarry.await(
            none, r -> r.status() == ModelInvocationJobStatus.FAILED, Duration.ofSeconds(30));
    assertThat(r1.message()).contains("No .jsonl objects").contains("s3://api-in/nojsonl/");
    GetModelInvocationJobResponse r2 =
        quarry.await(
            csv, r -> r.status() == ModelInvocationJobStatus.FAILED, Duration.ofSeconds(30));
    assertThat(r2.message())
        .contains("notjson/a.jsonl is not JSON Lines")
        .contains("line 1: not valid JSON");
    GetModelInvocationJobResponse r3 =
        quarry.await(
            missing, r -> r.status() == ModelInvocationJobStatus.FAILED, Duration.ofSeconds(30));
    assertThat(r3.message()).contains("does not exist");
  }

  @Test
  void unknownJobsAreNotFound() {
    assertThatThrownBy(() -> bedrock.getModelInvocationJob(b -> b.jobIdentifier("abcdefabcdef")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                bedrock.stopModelInvocationJob(
                    b ->
                        b.jobIdentifier(
                            "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefabcdef")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> bedrock.getModelInvocationJob(b -> b.jobIdentifier("NOT-AN-ID")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("jobIdentifier");
  }
}
