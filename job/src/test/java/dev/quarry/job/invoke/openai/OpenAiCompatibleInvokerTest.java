package dev.quarry.job.invoke.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.job.invoke.CallFailure;
import dev.quarry.job.invoke.ModelResponse;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.spec.ModelRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude records through the invoker a job on an OpenAI-compatible route opens, against the
 * emulator's {@code /v1} routes: answers in Claude's shape, the server's errors classified as
 * Bedrock's would be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiCompatibleInvokerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UPSTREAM = "claude-like-model";

  /** Long enough for a loaded machine to answer at once; the slow server takes twice that. */
  private static final long CALL_TIMEOUT_MILLIS = 5_000;

  private BedrockEmulator server;
  private OpenAiConnection connection;

  @BeforeAll
  void start(@TempDir Path secrets) throws Exception {
    server = BedrockEmulator.builder().port(0).build().start();
    Path key = Files.writeString(secrets.resolve("key"), "sk-from-a-file");
    JobSpec spec =
        JobSpec.builder()
            .jobId("abcdefabcdef")
            .inputUri("s3://in/a.jsonl")
            .outputUri("s3://out/")
            .modelId("anthropic.claude-3-haiku-20240307-v1:0")
            .limits(InvokeLimits.builder().callTimeoutMillis(CALL_TIMEOUT_MILLIS).build())
            .route(
                ModelRoute.openAiCompatible(
                    "test",
                    server.endpoint() + "/v1",
                    UPSTREAM,
                    SecretRef.parse("file:" + key),
                    null))
            .build();
    connection = OpenAiConnection.open(spec);
    // The first call of a JVM loads and starts the HTTP client: seconds on a busy machine.
    connection.invoker().invoke(claude("warm up")).get(60, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    server.configure(EmulatorConfig.defaults());
    server.reset();
  }

  @AfterAll
  void stop() {
    connection.close();
    server.close();
  }

  private static String claude(String text) {
    return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\","
        + "\"content\":\""
        + text
        + "\"}]}";
  }

  private CallFailure failureOf(String modelInput) {
    CompletableFuture<ModelResponse> call = connection.invoker().invoke(modelInput);
    try {
      ModelResponse response = call.get();
      throw new AssertionError("answered: " + response.body());
    } catch (Exception e) {
      return CallFailure.of(e);
    }
  }

  @Test
  void anAnswerComesBackAsAClaudeMessageWithItsTokens() throws Exception {
    ModelResponse response = connection.invoker().invoke(claude("Hello there")).get();

    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("model").asText()).isEqualTo(UPSTREAM);
    assertThat(body.at("/content/0/text").asText()).startsWith("Emulated reply to: Hello there");
    assertThat(body.at("/usage/input_tokens").asLong())
        .isEqualTo(3)
        .isEqualTo(response.inputTokens());
    assertThat(body.at("/usage/output_tokens").asLong())
        .isEqualTo(response.outputTokens())
        .isPositive();
    assertThat(server.stats().model(UPSTREAM).succeeded()).isEqualTo(1);
  }

  @Test
  void theServersErrorsClassifyAsBedrocks() {
    CallFailure throttled = failureOf(claude("[[emulator:fail=429]]"));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.throttled()).isTrue();
    assertThat(throttled.retryable()).isTrue();

    CallFailure refused = failureOf(claude("[[emulator:fail=400]]"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.message())
        .isEqualTo(
            "Malformed input request: the request was rejected by an emulator "
                + "directive, please reformat your input and try again.");

    CallFailure broken = failureOf(claude("[[emulator:fail=500]]"));
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.retryable()).isTrue();
    assertThat(broken.message()).contains("The server had an error");

    CallFailure overloaded = failureOf(claude("[[emulator:fail=503]]"));
    assertThat(overloaded.statusCode()).isEqualTo(503);
    assertThat(overloaded.retryable()).isTrue();

    CallFailure dropped = failureOf(claude("[[emulator:drop]]"));
    assertThat(dropped.statusCode()).isEqualTo(500);
    assertThat(dropped.retryable()).isTrue();
  }

  @Test
  void aSlowServerTimesOutRetryably() {
    server.configure(
        EmulatorConfig.builder()
            .model(
                UPSTREAM,
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofMillis(2 * CALL_TIMEOUT_MILLIS)))
                    .build())
            .build());

    CallFailure timedOut = failureOf(claude("slow"));
    assertThat(timedOut.statusCode()).isEqualTo(408);
    assertThat(timedOut.retryable()).isTrue();
  }

  @Test
  void anUntranslatableRecordFailsWithoutACall() {
    CallFailure failure =
        failureOf(
            "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"42\"}]}]}");

    assertThat(failure.statusCode()).isEqualTo(400);
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.message()).contains("a content block of type tool_result cannot be sent");
    assertThat(server.stats().model(UPSTREAM).requests()).isZero();
  }
}
