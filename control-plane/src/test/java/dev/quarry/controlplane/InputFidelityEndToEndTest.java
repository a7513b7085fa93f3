package dev.quarry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.OutputFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobSummary;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationType;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/**
 * What a migrating Bedrock pipeline hits first, through the real AWS SDK: staging prefixes, a few
 * broken lines, the values Get shows, models Quarry cannot call, and a job that misses records.
 */
class InputFidelityEndToEndTest {
  /** A model held to one call a second here, so a job on it stays running while the test acts. */
  private static final String SLOW_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

  private static final Set<ModelInvocationJobStatus> ENDED =
      Set.of(
          ModelInvocationJobStatus.COMPLETED,
          ModelInvocationJobStatus.FAILED,
          ModelInvocationJobStatus.PARTIALLY_COMPLETED,
          ModelInvocationJobStatus.STOPPED);

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static ControlPlaneFixture quarry;
  static BedrockClient bedrock;

  @BeforeAll
  static void start() throws Exception {
    quarry =
        new ControlPlaneFixture(
            dataDir,
            Map.of(
                "quarry.jobs.max-running",
                "1",
                "quarry.model." + SLOW_MODEL + ".requests-per-minute",
                "60"));
    bedrock = quarry.bedrock();
    quarry.s3.createBucket("fid-in");
    quarry.s3.createBucket("fid-out");
  }

  @AfterAll
  static void stop() {
    quarry.close();
  }

  private static CreateModelInvocationJobRequest.Builder request(String name, String input) {
    return ControlPlaneFixture.jobRequest(name, input, "s3://fid-out/" + name + "/");
  }

  private static GetModelInvocationJobResponse awaitEnd(String arn) throws InterruptedException {
    return quarry.await(arn, r -> ENDED.contains(r.status()), Duration.ofSeconds(120));
  }

  private static String jobId(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  @Test
  void aStagingPrefixStartingWithAnUnderscoreIsReadInFull() throws Exception {
    quarry.s3.put("fid-in", "run/_staging/a.jsonl", Corpus.file("s", 3));
    quarry.s3.put("fid-in", "run/_staging/.b.jsonl", Corpus.file("t", 2));
    String arn =
        bedrock
            .createModelInvocationJob(request("staging", "s3://fid-in/run/_staging/").build())
            .jobArn();
    GetModelInvocationJobResponse done = awaitEnd(arn);
    assertThat(done.status()).as(done.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
    assertThat(done.totalRecordCount()).isEqualTo(5);
    assertThat(done.processedRecordCount()).isEqualTo(5);
    assertThat(done.successRecordCount()).isEqualTo(5);
    String dir = "staging/" + jobId(arn) + "/";
    assertThat(quarry.s3.keys("fid-out", dir))
        .containsExactlyInAnyOrder(
            dir + "a.jsonl.out", dir + ".b.jsonl.out", dir + "manifest.json.out");
  }

  @Test
  void brokenLinesAmongTheFirstOnesAreErrorLinesAndTheJobRuns() throws Exception {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "{\"recordId\":\"broken-1\",\"modelInput\":{",
                Corpus.line("good-1", "one"),
                "not json at all",
                "[1,2,3]",
                Corpus.line("good-2", "two")));
    quarry.s3.put("fid-in", "broken/a.jsonl", Corpus.join(lines));
    String arn =
        bedrock
            .createModelInvocationJob(request("broken-lines", "s3://fid-in/broken/").build())
            .jobArn();
    GetModelInvocationJobResponse done = awaitEnd(arn);
    assertThat(done.status()).as(done.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
    assertThat(done.totalRecordCount()).isEqualTo(5);
    assertThat(done.successRecordCount()).isEqualTo(2);
    assertThat(done.errorRecordCount()).isEqualTo(3);
    List<JsonNode> out =
        OutputFile.parse(
            quarry.s3.getString("fid-out", "broken-lines/" + jobId(arn) + "/a.jsonl.out"));
    assertThat(out).hasSize(5);
    assertThat(
            out.stream()
                .filter(l -> l.has("error"))
                .map(l -> l.path("error").path("errorMessage").asText()))
        .anySatisfy(m -> assertThat(m).startsWith("Line 1:"))
        .anySatisfy(m -> assertThat(m).startsWith("Line 3:"))
        .anySatisfy(m -> assertThat(m).startsWith("Line 4:"));
  }

  @Test
  void aFileThatIsNotJsonLinesFailsValidationNamingTheFileAndWhy() throws Exception {
    quarry.s3.put("fid-in", "pretty/ok.jsonl", Corpus.file("p", 2));
    quarry.s3.put(
        "fid-in",
        "pretty/doc.jsonl",
        ("{\n  \"recordId\": \"a\",\n  \"modelInput\": {}\n}\n").getBytes(StandardCharsets.UTF_8));
    quarry.s3.put(
        "fid-in",
        "binary/blob.jsonl",
        new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xff, '\n', 1, 2});
    String pretty =
        bedrock.createModelInvocationJob(request("pretty", "s3://fid-in/pretty/").build()).jobArn();
    String binary =
        bedrock.createModelInvocationJob(request("binary", "s3://fid-in/binary/").build()).jobArn();

    GetModelInvocationJobResponse p = awaitEnd(pretty);
    assertThat(p.status()).isEqualTo(ModelInvocationJobStatus.FAILED);
    assertThat(p.message())
        .startsWith(
            "s3://fid-in/pretty/doc.jsonl is not JSON Lines: none of its first 4 non-blank lines is a JSON object")
        .contains("line 1: not valid JSON");
    GetModelInvocationJobResponse b = awaitEnd(binary);
    assertThat(b.status()).isEqualTo(ModelInvocationJobStatus.FAILED);
    assertThat(b.message())
        .contains("s3://fid-in/binary/blob.jsonl is not JSON Lines")
        .contains("not valid UTF-8");
  }

  @Test
  void getAndListShowTheTimeoutAndInvocationTypeInForce() throws Exception {
    quarry.s3.put("fid-in", "inforce/a.jsonl", Corpus.file("f", 1));
    String arn =
        bedrock
            .createModelInvocationJob(request("in-force", "s3://fid-in/inforce/").build())
            .jobArn();
    GetModelInvocationJobResponse got = bedrock.getModelInvocationJob(b -> b.jobIdentifier(arn));
    assertThat(got.timeoutDurationInHours()).isEqualTo(24);
    assertThat(got.modelInvocationType()).isEqualTo(ModelInvocationType.INVOKE_MODEL);
    assertThat(got.jobExpirationTime()).isEqualTo(got.submitTime().plus(Duration.ofHours(24)));
    List<ModelInvocationJobSummary> listed = new ArrayList<>();
    bedrock
        .listModelInvocationJobsPaginator(b -> b.nameContains("in-force"))
        .invocationJobSummaries()
        .forEach(listed::add);
    assertThat(listed)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.timeoutDurationInHours()).isEqualTo(24);
              assertThat(s.modelInvocationType()).isEqualTo(ModelInvocationType.INVOKE_MODEL);
            });
    awaitEnd(arn);
  }

  @Test
  void aModelWhoseFamilyQuarryCannotCallIsRefusedAtCreate() throws Exception {
    assertThatThrownBy(
            () ->
                bedrock.createModelInvocationJob(
                    request("cohere", "s3://fid-in/x/").modelId("cohere.command-r-v1:0").build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(
            "Value 'cohere.command-r-v1:0' at 'modelId' failed to satisfy constraint")
        .hasMessageContaining("anthropic.claude")
        .hasMessageContaining("meta.llama");
    assertThatThrownBy(
            () ->
                bedrock.createModelInvocationJob(
                    request("cohere-arn", "s3://fid-in/x/")
                        .modelId(
                            "arn:aws:bedrock:us-east-1::foundation-model/cohere.command-r-v1:0")
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("at 'modelId'");
    assertThatThrownBy(
            () ->
                bedrock.createModelInvocationJob(
                    request("canvas", "s3://fid-in/x/").modelId("amazon.nova-canvas-v1:0").build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("at 'modelId'");

    quarry.s3.put("fid-in", "families/a.jsonl", Corpus.file("m", 1));
    for (String accepted :
        List.of(
            "us.anthropic.claude-3-haiku-20240307-v1:0",
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.meta.llama3-2-1b-instruct-v1:0",
            "arn:aws:bedrock:us-east-1::foundation-model/mistral.mistral-large-2402-v1:0")) {
      String arn =
          bedrock
              .createModelInvocationJob(
                  request("accepted", "s3://fid-in/families/").modelId(accepted).build())
              .jobArn();
      bedrock.stopModelInvocationJob(b -> b.jobIdentifier(arn));
    }
    String converse =
        bedrock
            .createModelInvocationJob(
                request("converse-any", "s3://fid-in/families/")
                    .modelId("cohere.command-r-v1:0")
                    .modelInvocationType(ModelInvocationType.CONVERSE)
                    .build())
            .jobArn();
    bedrock.stopModelInvocationJob(b -> b.jobIdentifier(converse));
  }

  @Test
  void theJobReadsExactlyTheObjectsValidationCounted() throws Exception {
    // The first job holds the only running slot while the second waits Scheduled, validated; an
    // object put under its prefix then is not read: Get's total, the manifest and the outputs all
    // cover the validated files alone.
    quarry.s3.put("fid-in", "holder-added/a.jsonl", Corpus.file("h", 6));
    quarry.s3.put("fid-in", "added/a.jsonl", Corpus.file("a", 2));
    quarry.s3.put("fid-in", "added/sub/b.jsonl", Corpus.file("b", 3));
    String holder =
        bedrock
            .createModelInvocationJob(
                request("holder-added", "s3://fid-in/holder-added/").modelId(SLOW_MODEL).build())
            .jobArn();
    quarry.await(
        holder, r -> r.status() == ModelInvocationJobStatus.IN_PROGRESS, Duration.ofSeconds(60));
    String arn =
        bedrock.createModelInvocationJob(request("added", "s3://fid-in/added/").build()).jobArn();
    GetModelInvocationJobResponse scheduled =
        quarry.await(
            arn, r -> r.status() == ModelInvocationJobStatus.SCHEDULED, Duration.ofSeconds(30));
    assertThat(scheduled.totalRecordCount()).isEqualTo(5);
    quarry.s3.put("fid-in", "added/sub/late.jsonl", Corpus.file("late", 4));

    assertThat(awaitEnd(holder).status()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
    GetModelInvocationJobResponse done = awaitEnd(arn);
    assertThat(done.status()).as(done.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
    assertThat(done.totalRecordCount()).isEqualTo(5);
    assertThat(done.processedRecordCount()).isEqualTo(5);
    assertThat(done.successRecordCount()).isEqualTo(5);
    String dir = "added/" + jobId(arn) + "/";
    assertThat(quarry.s3.keys("fid-out", dir))
        .containsExactlyInAnyOrder(
            dir + "a.jsonl.out", dir + "sub/b.jsonl.out", dir + "manifest.json.out");
    JsonNode manifest = JSON.readTree(quarry.s3.getString("fid-out", dir + "manifest.json.out"));
    assertThat(manifest.path("totalRecordCount").asLong()).isEqualTo(5);
    assertThat(manifest.path("processedRecordCount").asLong()).isEqualTo(5);
  }

  @Test
  void aJobWhoseInputChangesAfterValidationNeverEndsCompleted() throws Exception {
    // The first job holds the only running slot while the others wait Scheduled; then one file of
    // each changes, after validation counted it: one shrinks, one vanishes.
    quarry.s3.put("fid-in", "holder/a.jsonl", Corpus.file("h", 8));
    quarry.s3.put("fid-in", "shrink/a.jsonl", Corpus.file("a", 2));
    quarry.s3.put("fid-in", "shrink/b.jsonl", Corpus.file("b", 3));
    quarry.s3.put("fid-in", "vanish/a.jsonl", Corpus.file("a", 2));
    quarry.s3.put("fid-in", "vanish/b.jsonl", Corpus.file("b", 3));
    String holder =
        bedrock
            .createModelInvocationJob(
                request("holder", "s3://fid-in/holder/").modelId(SLOW_MODEL).build())
            .jobArn();
    quarry.await(
        holder, r -> r.status() == ModelInvocationJobStatus.IN_PROGRESS, Duration.ofSeconds(60));
    String shrink =
        bedrock.createModelInvocationJob(request("shrink", "s3://fid-in/shrink/").build()).jobArn();
    String vanish =
        bedrock.createModelInvocationJob(request("vanish", "s3://fid-in/vanish/").build()).jobArn();
    for (String arn : List.of(shrink, vanish)) {
      GetModelInvocationJobResponse scheduled =
          quarry.await(
              arn, r -> r.status() == ModelInvocationJobStatus.SCHEDULED, Duration.ofSeconds(30));
      assertThat(scheduled.totalRecordCount()).isEqualTo(5);
    }
    quarry.s3.put("fid-in", "shrink/b.jsonl", Corpus.file("b", 1));
    quarry.s3.client().deleteObject(b -> b.bucket("fid-in").key("vanish/b.jsonl"));

    assertThat(awaitEnd(holder).status()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
    GetModelInvocationJobResponse shrunk = awaitEnd(shrink);
    assertThat(shrunk.status()).isEqualTo(ModelInvocationJobStatus.FAILED);
    assertThat(shrunk.message())
        .startsWith("The job ended having processed 3 of its 5 records: 2 records were never read.")
        .contains("changed or vanished after validation");
    assertThat(shrunk.processedRecordCount()).isEqualTo(3);
    // The job reads the files validation counted: the one gone is named, not silently skipped.
    GetModelInvocationJobResponse vanished = awaitEnd(vanish);
    assertThat(vanished.status()).isEqualTo(ModelInvocationJobStatus.FAILED);
    assertThat(vanished.message())
        .startsWith("The Flink job failed")
        .contains(
            "Input object s3://fid-in/vanish/b.jsonl is gone: it was listed as the job's input"
                + " and deleted or renamed since");
  }
}
