package dev.quarry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/**
 * Every constraint of the API answers 400 ValidationException naming the field; nothing answers
 * 500.
 */
class ApiValidationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dataDir;
  static ControlPlaneFixture quarry;

  @BeforeAll
  static void start() throws Exception {
    quarry = new ControlPlaneFixture(dataDir, Map.of());
  }

  @AfterAll
  static void stop() {
    quarry.close();
  }

  static ObjectNode validBody() {
    ObjectNode b = JSON.createObjectNode();
    b.put("jobName", "valid-job");
    b.put("roleArn", ControlPlaneFixture.ROLE);
    b.put("modelId", ControlPlaneFixture.MODEL);
    b.putObject("inputDataConfig")
        .putObject("s3InputDataConfig")
        .put("s3Uri", "s3://in-bucket/prefix/");
    b.putObject("outputDataConfig")
        .putObject("s3OutputDataConfig")
        .put("s3Uri", "s3://out-bucket/prefix/");
    return b;
  }

  static Arguments bad(String field, Consumer<ObjectNode> change) {
    return Arguments.of(field, change);
  }

  static Stream<Arguments> invalidCreates() {
    return Stream.of(
        bad("jobName", b -> b.remove("jobName")),
        bad("jobName", b -> b.put("jobName", "has spaces")),
        bad("jobName", b -> b.put("jobName", "x".repeat(64))),
        bad("jobName", b -> b.put("jobName", 42)),
        bad("roleArn", b -> b.remove("roleArn")),
        bad("roleArn", b -> b.put("roleArn", "arn:aws:iam::123:user/bob")),
        bad("clientRequestToken", b -> b.put("clientRequestToken", "bad token!")),
        bad("clientRequestToken", b -> b.put("clientRequestToken", "")),
        bad("modelId", b -> b.remove("modelId")),
        bad("modelId", b -> b.put("modelId", "not a model")),
        bad("inputDataConfig", b -> b.remove("inputDataConfig")),
        bad("inputDataConfig", b -> b.putObject("inputDataConfig")),
        bad(
            "inputDataConfig.s3InputDataConfig.s3Uri",
            b -> b.with("inputDataConfig").with("s3InputDataConfig").remove("s3Uri")),
        bad(
            "inputDataConfig.s3InputDataConfig.s3Uri",
            b ->
                b.with("inputDataConfig")
                    .with("s3InputDataConfig")
                    .put("s3Uri", "https://bucket/x")),
        bad(
            "inputDataConfig.s3InputDataConfig.s3Uri",
            b ->
                b.with("inputDataConfig")
                    .with("s3InputDataConfig")
                    .put("s3Uri", "s3://Bad_Bucket/x")),
        bad(
            "inputDataConfig.s3InputDataConfig.s3InputFormat",
            b -> b.with("inputDataConfig").with("s3InputDataConfig").put("s3InputFormat", "CSV")),
        bad(
            "inputDataConfig.s3InputDataConfig.s3BucketOwner",
            b -> b.with("inputDataConfig").with("s3InputDataConfig").put("s3BucketOwner", "12")),
        bad("outputDataConfig", b -> b.remove("outputDataConfig")),
        bad(
            "outputDataConfig.s3OutputDataConfig.s3Uri",
            b -> b.with("outputDataConfig").with("s3OutputDataConfig").put("s3Uri", "s3://x")),
        bad(
            "outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId",
            b ->
                b.with("outputDataConfig")
                    .with("s3OutputDataConfig")
                    .put("s3EncryptionKeyId", "not/a key")),
        bad(
            "vpcConfig.subnetIds",
            b -> b.putObject("vpcConfig").putArray("securityGroupIds").add("sg-1")),
        bad(
            "vpcConfig.securityGroupIds",
            b -> {
              ObjectNode vpc = b.putObject("vpcConfig");
              vpc.putArray("subnetIds").add("subnet-1");
              vpc.putArray("securityGroupIds")
                  .add("1")
                  .add("2")
                  .add("3")
                  .add("4")
                  .add("5")
                  .add("6");
            }),
        bad(
            "vpcConfig.subnetIds.1",
            b -> {
              ObjectNode vpc = b.putObject("vpcConfig");
              vpc.putArray("subnetIds").add("subnet_with_underscore");
              vpc.putArray("securityGroupIds").add("sg-1");
            }),
        bad("timeoutDurationInHours", b -> b.put("timeoutDurationInHours", 23)),
        bad("timeoutDurationInHours", b -> b.put("timeoutDurationInHours", 169)),
        bad("timeoutDurationInHours", b -> b.put("timeoutDurationInHours", "24")),
        bad("tags.1.key", b -> b.putArray("tags").addObject().put("value", "v")),
        bad(
            "tags.1.value",
            b -> b.putArray("tags").addObject().put("key", "k").put("value", "bad|value")),
        bad(
            "tags.1.value",
            b ->
                b.putArray("tags")
                    .addObject()
                    .put("key", "quarry:priority")
                    .put("value", "urgent")),
        bad(
            "tags",
            b -> {
              var tags = b.putArray("tags");
              for (int i = 0; i < 201; i++) {
                tags.addObject().put("key", "k" + i).put("value", "v");
              }
            }),
        bad("modelInvocationType", b -> b.put("modelInvocationType", "Chat")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCreates")
  void everyFieldIsValidatedByName(String field, Consumer<ObjectNode> change) throws Exception {
    ObjectNode body = validBody();
    change.accept(body);
    HttpResponse<String> response = post("/model-invocation-job", body.toString());
    assertValidationError(response, "'" + field + "'");
  }

  @Test
  void theRealSdkSeesAModeledValidationException() {
    assertThatThrownBy(
            () ->
                quarry
                    .bedrock()
                    .createModelInvocationJob(
                        ControlPlaneFixture.jobRequest(
                                "bad name", "s3://in-bucket/x/", "s3://out-bucket/y/")
                            .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("jobName")
        .satisfies(e -> assertThat(((ValidationException) e).statusCode()).isEqualTo(400))
        .satisfies(e -> assertThat(((ValidationException) e).requestId()).isNotBlank());
  }

  @Test
  void malformedRequestsGetTheAwsErrorShapeNeverA500() throws Exception {
    assertValidationError(post("/model-invocation-job", "{not json"), "not valid JSON");
    assertValidationError(post("/model-invocation-job", "[1,2]"), "JSON object");
    assertValidationError(post("/model-invocation-job", ""), "'jobName'");
    assertValidationError(get("/model-invocation-jobs?maxResults=0"), "'maxResults'");
    assertValidationError(get("/model-invocation-jobs?maxResults=1001"), "'maxResults'");
    assertValidationError(get("/model-invocation-jobs?maxResults=ten"), "'maxResults'");
    assertValidationError(get("/model-invocation-jobs?statusEquals=Running"), "'statusEquals'");
    assertValidationError(get("/model-invocation-jobs?sortOrder=Up"), "'sortOrder'");
    assertValidationError(get("/model-invocation-jobs?sortBy=Name"), "'sortBy'");
    assertValidationError(
        get("/model-invocation-jobs?submitTimeAfter=yesterday"), "'submitTimeAfter'");
    assertValidationError(get("/model-invocation-jobs?nextToken=garbage"), "nextToken");
    // Not even a URI: the JDK server answers 400 itself, before any handler (still a 4xx, not a
    // 500).
    assertThat(rawGet("/model-invocation-job/%ZZbad")).startsWith("HTTP/1.1 400");
    assertValidationError(
        post("/tagResource", "{\"resourceARN\":\"arn:nope\",\"tags\":[]}"), "'resourceARN'");
    assertValidationError(
        post(
            "/untagResource",
            "{\"resourceARN\":\"arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefabcdef\"}"),
        "'tagKeys'");

    HttpResponse<String> unknown = post("/no-such-operation", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");

    HttpResponse<String> missing =
        get(
            "/model-invocation-job/"
                + "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Amodel-invocation-job%2Fabcdefabcdef");
    assertThat(missing.statusCode())
        .as("a percent-encoded ARN is decoded before matching")
        .isEqualTo(404);
    assertThat(missing.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("ResourceNotFoundException");
  }

  @Test
  void listingIsEmptyButValidWithNoJobs() throws Exception {
    HttpResponse<String> response =
        get(
            "/model-invocation-jobs?nameContains=nothing-matches&sortOrder=Ascending&sortBy=CreationTime");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("invocationJobSummaries").isArray()).isTrue();
    assertThat(body.has("nextToken")).isFalse();
  }

  private static void assertValidationError(HttpResponse<String> response, String messagePart)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
    assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("__type").asText()).isEqualTo("ValidationException");
    assertThat(body.path("message").asText()).contains(messagePart);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return quarry.http().send("POST", path, body);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return quarry.http().send("GET", path, "");
  }

  /** A request no URI class would build: sent as bytes. */
  private static String rawGet(String path) throws Exception {
    URI endpoint = quarry.plane().endpoint();
    try (java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
