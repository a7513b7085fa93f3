package dev.quarry.job.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.secret.SecretRef;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class JobSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JobSpec.Builder valid() {
    return JobSpec.builder()
        .jobId("abc123def456")
        .inputUri("s3://in/data/")
        .outputUri("s3://out/results")
        .modelId("anthropic.claude-3-haiku-20240307-v1:0");
  }

  private static JobSpec full() {
    return JobSpec.builder()
        .jobId("0a1b2c3d4e5f")
        .inputUri("s3://in-bucket/data/")
        .outputUri("s3a://out-bucket/results")
        .modelId("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude")
        .invocationType(InvocationType.CONVERSE)
        .bedrock(
            new BedrockEndpoint(
                "http://localhost:4566",
                "eu-west-3",
                "AKIAEXAMPLE",
                SecretRef.parse("env:BEDROCK_SECRET"),
                SecretRef.parse("file:/run/secrets/session-token")))
        .limits(
            InvokeLimits.builder()
                .requestsPerMinute(600)
                .tokensPerMinute(1_000_000)
                .maxConcurrency(16)
                .maxAttempts(5)
                .initialBackoffMillis(50)
                .maxBackoffMillis(5_000)
                .callTimeoutMillis(30_000)
                .adaptive(false)
                .build())
        .maxRecordBytes(2_048)
        .parallelism(4)
        .checkpointIntervalMillis(500)
        .progressIntervalMillis(250)
        .statusStore(
            new StatusStoreAddress(
                "jdbc:postgresql://db:5432/quarry",
                "quarry_progress",
                SecretRef.parse("env:PROGRESS_DB_PASSWORD")))
        .expectedRecordCount(12_345)
        .maxRestarts(7)
        .build();
  }

  @Test
  void jsonRoundTripKeepsEveryField() {
    JobSpec spec = full();
    JobSpec back = JobSpec.fromJson(spec.toJson());
    assertThat(back).isEqualTo(spec);
    assertThat(back.bedrock()).isEqualTo(spec.bedrock());
    assertThat(back.bedrock().secretAccessKeyRef())
        .isEqualTo(SecretRef.parse("env:BEDROCK_SECRET"));
    assertThat(back.bedrock().sessionTokenRef())
        .isEqualTo(SecretRef.parse("file:/run/secrets/session-token"));
    assertThat(back.limits()).isEqualTo(spec.limits());
    assertThat(back.limits().adaptive()).isFalse();
    assertThat(back.statusStore()).isEqualTo(spec.statusStore());
    assertThat(back.statusStore().passwordRef())
        .isEqualTo(SecretRef.parse("env:PROGRESS_DB_PASSWORD"));
    assertThat(back.invocationType()).isEqualTo(InvocationType.CONVERSE);
  }

  @Test
  void jsonRoundTripOfDefaults() {
    JobSpec spec = valid().build();
    JobSpec back = JobSpec.fromJson(spec.toJson());
    assertThat(back).isEqualTo(spec);
    assertThat(back.statusStore()).isNull();
    assertThat(back.bedrock()).isEqualTo(BedrockEndpoint.defaultChain("us-east-1"));
  }

  @Test
  void jsonOmitsNullEndpointMembersAndTheDerivedOutputFolder() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(valid().build().toJson());
    assertThat(json.has("jobOutputUri")).isFalse();
    assertThat(json.get("bedrock").has("accessKeyId")).isFalse();
    assertThat(json.get("bedrock").has("endpoint")).isFalse();
    assertThat(json.get("bedrock").get("region").asText()).isEqualTo("us-east-1");
  }

  @Test
  void unknownMembersAreIgnoredAtEveryLevel() throws Exception {
    JobSpec spec = full();
    ObjectNode json = (ObjectNode) JSON.readTree(spec.toJson());
    json.put("someFutureOption", 42);
    json.putObject("anotherFutureThing").put("x", "y");
    ((ObjectNode) json.get("bedrock")).put("futureAuth", "sso");
    ((ObjectNode) json.get("limits")).put("futureLimit", 1);
    ((ObjectNode) json.get("statusStore")).put("poolSize", 3);
    assertThat(JobSpec.fromJson(json.toString())).isEqualTo(spec);
  }

  @Test
  void builderDefaults() {
    JobSpec spec = valid().build();
    assertThat(spec.invocationType()).isEqualTo(InvocationType.INVOKE_MODEL);
    assertThat(spec.limits()).isEqualTo(InvokeLimits.defaults());
    assertThat(spec.maxRecordBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(spec.parallelism()).isEqualTo(2);
    assertThat(spec.checkpointIntervalMillis()).isEqualTo(10_000);
    assertThat(spec.progressIntervalMillis()).isEqualTo(2_000);
    assertThat(spec.expectedRecordCount()).isEqualTo(-1);
    assertThat(spec.maxRestarts()).isEqualTo(3);
    InvokeLimits limits = InvokeLimits.defaults();
    assertThat(limits.requestsPerMinute()).isZero();
    assertThat(limits.tokensPerMinute()).isZero();
    assertThat(limits.maxConcurrency()).isEqualTo(64);
    assertThat(limits.maxAttempts()).isEqualTo(8);
    assertThat(limits.initialBackoffMillis()).isEqualTo(200);
    assertThat(limits.maxBackoffMillis()).isEqualTo(20_000);
    assertThat(limits.callTimeoutMillis()).isEqualTo(60_000);
    assertThat(limits.adaptive()).isTrue();
  }

  @Test
  void toBuilderCopiesEverything() {
    JobSpec spec = full();
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
    assertThat(spec.limits().toBuilder().build()).isEqualTo(spec.limits());
  }

  // ---- validation ----

  private static void assertRejected(
      UnaryOperator<JobSpec.Builder> change, String field, String message) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(field)
        .hasMessage(message);
  }

  @Test
  void badJobIds() {
    for (String id :
        new String[] {
          "",
          "abc",
          "abc123def45",
          "abc123def4567",
          "ABC123DEF456",
          "abc-23def456",
          "abc123def45 ",
          "abc123déf456"
        }) {
      assertThatThrownBy(() -> valid().jobId(id).build())
          .as("jobId '%s'", id)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("jobId must be 12 characters of [a-z0-9], was " + id);
    }
  }

  @Test
  void badUris() {
    for (String uri :
        new String[] {
          "http://in/x", "/tmp/in", "in/data", "S3://in/x", "s3:/in/x", "hdfs://nn/in", ""
        }) {
      assertRejected(
          b -> b.inputUri(uri),
          "inputUri",
          "inputUri must start with s3://, s3a:// or file:/, was " + uri);
      assertRejected(
          b -> b.outputUri(uri),
          "outputUri",
          "outputUri must start with s3://, s3a:// or file:/, was " + uri);
    }
  }

  @Test
  void acceptedUriForms() {
    for (String uri :
        new String[] {
          "s3://b/p/", "s3a://b/p", "file:/tmp/in", "file:///tmp/in/", "s3://b/x.jsonl"
        }) {
      assertThat(valid().inputUri(uri).outputUri(uri).build().inputUri()).isEqualTo(uri);
    }
  }

  @Test
  void numericLimits() {
    assertRejected(
        b -> b.maxRecordBytes(15), "maxRecordBytes", "maxRecordBytes must be at least 16, was 15");
    assertRejected(b -> b.parallelism(0), "parallelism", "parallelism must be at least 1, was 0");
    assertRejected(
        b -> b.checkpointIntervalMillis(9),
        "checkpointIntervalMillis",
        "checkpointIntervalMillis must be at least 10, was 9");
    assertRejected(
        b -> b.progressIntervalMillis(9),
        "progressIntervalMillis",
        "progressIntervalMillis must be at least 10, was 9");
    assertRejected(b -> b.maxRestarts(-1), "maxRestarts", "maxRestarts must be at least 0, was -1");
    // The boundaries themselves are fine.
    JobSpec edge =
        valid()
            .maxRecordBytes(16)
            .parallelism(1)
            .checkpointIntervalMillis(10)
            .progressIntervalMillis(10)
            .maxRestarts(0)
            .build();
    assertThat(edge.maxRecordBytes()).isEqualTo(16);
  }

  @Test
  void invokeLimits() {
    assertLimitRejected(
        b -> b.requestsPerMinute(-1), "requestsPerMinute must be at least 0, was -1");
    assertLimitRejected(b -> b.tokensPerMinute(-1), "tokensPerMinute must be at least 0, was -1");
    assertLimitRejected(b -> b.maxConcurrency(0), "maxConcurrency must be at least 1, was 0");
    assertLimitRejected(b -> b.maxAttempts(0), "maxAttempts must be at least 1, was 0");
    assertLimitRejected(
        b -> b.initialBackoffMillis(0), "initialBackoffMillis must be at least 1, was 0");
    assertLimitRejected(
        b -> b.initialBackoffMillis(100).maxBackoffMillis(99),
        "maxBackoffMillis must be at least 100, was 99");
    assertLimitRejected(b -> b.callTimeoutMillis(0), "callTimeoutMillis must be at least 1, was 0");
    InvokeLimits edge =
        InvokeLimits.builder()
            .maxConcurrency(1)
            .maxAttempts(1)
            .initialBackoffMillis(1)
            .maxBackoffMillis(1)
            .callTimeoutMillis(1)
            .build();
    assertThat(edge.maxBackoffMillis()).isEqualTo(1);
  }

  private static void assertLimitRejected(
      UnaryOperator<InvokeLimits.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(InvokeLimits.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void requiredMembersAreNamedWhenMissing() {
    assertThatThrownBy(() -> valid().jobId(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("jobId");
    assertThatThrownBy(() -> valid().inputUri(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("inputUri");
    assertThatThrownBy(() -> valid().modelId(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("modelId");
    assertThatThrownBy(() -> valid().invocationType(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("invocationType");
    assertThatThrownBy(() -> valid().bedrock(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("bedrock");
    assertThatThrownBy(() -> valid().limits(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("limits");
  }

  @Test
  void invalidJsonSpecsAreIllegalArgumentsNamingTheProblem() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(valid().build().toJson());
    json.remove("modelId");
    assertThatThrownBy(() -> JobSpec.fromJson(json.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not a valid job spec: ")
        .hasMessageContaining("modelId");

    ObjectNode badId = (ObjectNode) JSON.readTree(valid().build().toJson());
    badId.put("jobId", "UPPER");
    assertThatThrownBy(() -> JobSpec.fromJson(badId.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jobId must be 12 characters");

    ObjectNode badLimit = (ObjectNode) JSON.readTree(valid().build().toJson());
    ((ObjectNode) badLimit.get("limits")).put("maxConcurrency", 0);
    assertThatThrownBy(() -> JobSpec.fromJson(badLimit.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrency must be at least 1, was 0");

    assertThatThrownBy(() -> JobSpec.fromJson("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not a valid job spec: ");
  }

  // ---- endpoint, status store, output folder ----

  @Test
  void bedrockEndpointKeysGoTogether() {
    assertThatThrownBy(() -> new BedrockEndpoint(null, "us-east-1", "AK", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accessKeyId and secretAccessKeyRef go together");
    assertThatThrownBy(
            () -> new BedrockEndpoint(null, "us-east-1", null, SecretRef.parse("env:S"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accessKeyId and secretAccessKeyRef go together");
    assertThatThrownBy(() -> new BedrockEndpoint(null, null, null, null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("region");
    assertThatThrownBy(() -> new StatusStoreAddress(null, "u", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("jdbcUrl");
  }

  @Test
  void bedrockEndpointFactories() {
    assertThat(BedrockEndpoint.defaultChain("ap-south-1"))
        .isEqualTo(new BedrockEndpoint(null, "ap-south-1", null, null, null));
    BedrockEndpoint inProcess = BedrockEndpoint.staticKeys("http://e:1", "us-west-2", "AK", "SK");
    assertThat(inProcess.secretAccessKeyRef().isInProcess()).isTrue();
    assertThat(inProcess.secretAccessKeyRef().resolve()).isEqualTo("SK");
    assertThat(inProcess)
        .isEqualTo(
            new BedrockEndpoint(
                "http://e:1", "us-west-2", "AK", inProcess.secretAccessKeyRef(), null));
  }

  @Test
  void secretsNeverAppearInTheSpecNorItsJson() {
    BedrockEndpoint endpoint =
        BedrockEndpoint.staticKeys("http://e", "us-east-1", "AKIAEXAMPLE", "TOPSECRETKEY");
    StatusStoreAddress store =
        new StatusStoreAddress(
            "jdbc:postgresql://db/q", "quarry", SecretRef.inProcess("DBPASSWORD"));
    JobSpec spec = full().toBuilder().bedrock(endpoint).statusStore(store).build();
    assertThat(endpoint.toString())
        .startsWith(
            "BedrockEndpoint[endpoint=http://e, region=us-east-1, credentials=static(AKIAEXAMPLE, secret jvm:");
    assertThat(BedrockEndpoint.defaultChain("us-east-1").toString())
        .contains("credentials=default-chain");
    for (String form : new String[] {spec.toString(), spec.toJson()}) {
      assertThat(form)
          .doesNotContain("TOPSECRETKEY")
          .doesNotContain("DBPASSWORD")
          .contains(endpoint.secretAccessKeyRef().reference())
          .contains("0a1b2c3d4e5f");
    }
    JobSpec back = JobSpec.fromJson(spec.toJson());
    assertThat(back.bedrock().secretAccessKeyRef().resolve()).isEqualTo("TOPSECRETKEY");
    assertThat(back.statusStore().passwordRef().resolve()).isEqualTo("DBPASSWORD");
  }

  @Test
  void aSpecWithASecretValueInsteadOfAReferenceIsRefused() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(full().toJson());
    ((ObjectNode) json.get("bedrock")).put("secretAccessKeyRef", "wJalrXUtnFEMI/K7MDENG");
    assertThatThrownBy(() -> JobSpec.fromJson(json.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("wJalrXUtnFEMI");
    // A spec from before references: its secret member is ignored, and the key alone is refused.
    ObjectNode old = (ObjectNode) JSON.readTree(full().toJson());
    ((ObjectNode) old.get("bedrock")).remove("secretAccessKeyRef");
    ((ObjectNode) old.get("bedrock")).put("secretAccessKey", "wJalrXUtnFEMI/K7MDENG");
    assertThatThrownBy(() -> JobSpec.fromJson(old.toString()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new StatusStoreAddress("jdbc:postgresql://db/q?user=u&password=pw", "u", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pw");
  }

  @Test
  void jobOutputUriWithAndWithoutTrailingSlash() {
    assertThat(valid().outputUri("s3://out/results").build().jobOutputUri())
        .isEqualTo("s3://out/results/abc123def456/");
    assertThat(valid().outputUri("s3://out/results/").build().jobOutputUri())
        .isEqualTo("s3://out/results/abc123def456/");
    assertThat(valid().outputUri("file:///tmp/out").build().jobOutputUri())
        .isEqualTo("file:///tmp/out/abc123def456/");
  }

  @Test
  void invocationTypeWireNames() {
    assertThat(InvocationType.fromWireName(null)).isEqualTo(InvocationType.INVOKE_MODEL);
    assertThat(InvocationType.fromWireName("InvokeModel")).isEqualTo(InvocationType.INVOKE_MODEL);
    assertThat(InvocationType.fromWireName("Converse")).isEqualTo(InvocationType.CONVERSE);
    assertThat(InvocationType.fromWireName("CONVERSE")).isEqualTo(InvocationType.CONVERSE);
    assertThat(InvocationType.CONVERSE.wireName()).isEqualTo("Converse");
    assertThat(InvocationType.INVOKE_MODEL.wireName()).isEqualTo("InvokeModel");
    assertThatThrownBy(() -> InvocationType.fromWireName("converse"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("modelInvocationType must be InvokeModel or Converse, was converse");
  }
}
