package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.job.invoke.http.BedrockRuntimeHttp;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.testing.ConverseCorpus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Converse records against the real emulator, which checks every request's SigV4 signature: what
 * goes in reaches the model byte for byte, what comes back reaches the output whole, and failures
 * classify as InvokeModel's do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConverseInvokerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  private static final String ACCESS_KEY = "AKIAQUARRYTEST";
  private static final String SECRET = "quarry-test-secret";
  private static final EmulatorConfig SIGNED =
      EmulatorConfig.builder().credential(ACCESS_KEY, SECRET).build();

  private BedrockEmulator emulator;
  private BedrockConnection connection;

  @BeforeAll
  void start() {
    emulator = BedrockEmulator.builder().port(0).config(SIGNED).build().start();
    connection =
        connect(
            BedrockEndpoint.staticKeys(
                emulator.endpoint().toString(), "us-east-1", ACCESS_KEY, SECRET),
            InvokeLimits.builder().callTimeoutMillis(5_000).build());
  }

  @BeforeEach
  void reset() {
    emulator.configure(SIGNED);
    emulator.reset();
  }

  @AfterAll
  void stop() {
    connection.close();
    emulator.close();
  }

  private static BedrockConnection connect(BedrockEndpoint endpoint, InvokeLimits limits) {
    return BedrockClients.create(endpoint, limits);
  }

  private ModelResponse converse(String modelInput) {
    return new ConverseInvoker(connection.runtimeHttp(), MODEL).invoke(modelInput).join();
  }

  private static CallFailure failure(CompletableFuture<ModelResponse> call) {
    return CallFailure.of(
        call.handle(
                (r, e) -> {
                  assertThat(e).as("the call should have failed, answered " + r).isNotNull();
                  return e;
                })
            .join());
  }

  @Test
  void everyMemberReachesTheModelByteForByteAndTheAnswerComesBackWhole() throws Exception {
    ModelResponse response = converse(ConverseCorpus.EVERY_MEMBER);

    assertThat(emulator.timesSeen(ConverseCorpus.EVERY_MEMBER))
        .as("the emulator got exactly these bytes")
        .isOne();
    emulator.configure(EmulatorConfig.defaults()); // the reference call below is unsigned
    String expected =
        ConverseCorpus.emulatorAnswer(
            emulator.endpoint(),
            BedrockRuntimeHttp.modelPath(MODEL, "converse"),
            ConverseCorpus.EVERY_MEMBER);
    assertThat(response.body()).isEqualTo(expected);

    JsonNode output = JSON.readTree(response.body());
    assertThat(
            output
                .at("/output/message/content/0/reasoningContent/reasoningText/signature")
                .asText())
        .isNotEmpty();
    assertThat(output.at("/output/message/content/1/text").asText())
        .startsWith("Emulated reply to: And what follows from that?");
    assertThat(output.at("/usage/cacheReadInputTokens").asInt()).isPositive();
    assertThat(output.at("/usage/cacheWriteInputTokens").asInt()).isPositive();
    assertThat(output.at("/metrics").has("latencyMs")).isTrue();
    assertThat(output.at("/trace/guardrail/inputAssessment").has("gr-quarry")).isTrue();
    assertThat(output.get("additionalModelResponseFields"))
        .isEqualTo(JSON.readTree("{\"stop_sequence\":null}"));
    assertThat(output.get("performanceConfig"))
        .isEqualTo(JSON.readTree("{\"latency\":\"optimized\"}"));
    assertThat(response.inputTokens())
        .isEqualTo(output.at("/usage/inputTokens").asLong())
        .isPositive();
    assertThat(response.outputTokens())
        .isEqualTo(output.at("/usage/outputTokens").asLong())
        .isPositive();
  }

  @Test
  void aModelArnIsPercentEncodedIntoThePathAndSignedSo() {
    String arn = "arn:aws:bedrock:us-east-1::foundation-model/" + MODEL;

    ModelResponse response =
        new ConverseInvoker(connection.runtimeHttp(), arn)
            .invoke(ConverseCorpus.userTurn("by arn"))
            .join();

    assertThat(response.body()).contains("Emulated reply to: by arn");
    assertThat(emulator.stats().model(arn).succeeded()).isOne();
  }

  @Test
  void aWrongSecretIsRefusedByTheSignatureCheck() {
    try (BedrockConnection wrong =
        connect(
            BedrockEndpoint.staticKeys(
                emulator.endpoint().toString(), "us-east-1", ACCESS_KEY, "not-the-secret"),
            InvokeLimits.defaults())) {
      CallFailure f =
          failure(
              new ConverseInvoker(wrong.runtimeHttp(), MODEL).invoke(ConverseCorpus.userTurn("x")));

      assertThat(f.statusCode()).isEqualTo(403);
      assertThat(f.message()).startsWith("The request signature we calculated does not match");
      assertThat(f.retryable()).isFalse();
      assertThat(emulator.stats().totals().requests()).isZero();
    }
  }

  @Test
  void withoutConfiguredKeysTheDefaultCredentialChainSigns() {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET);
    try (BedrockConnection chain =
        connect(
            new BedrockEndpoint(emulator.endpoint().toString(), "us-east-1", null, null, null),
            InvokeLimits.defaults())) {
      ModelResponse response =
          new ConverseInvoker(chain.runtimeHttp(), MODEL)
              .invoke(ConverseCorpus.userTurn("from the chain"))
              .join();

      assertThat(response.body()).contains("from the chain");
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  @Test
  void aValidationExceptionBecomesA400WithBedrocksMessage() {
    CallFailure f =
        failure(
            new ConverseInvoker(connection.runtimeHttp(), MODEL)
                .invoke(
                    "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}],\"inferenceConfig\":{\"maxTokens\":0}}"));

    assertThat(f)
        .isEqualTo(
            new CallFailure(
                400,
                "1 validation error detected: Value '0' at "
                    + "'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
                false,
                false));
  }

  @Test
  void failuresClassifyAsTheSdksDo() {
    ConverseInvoker invoker = new ConverseInvoker(connection.runtimeHttp(), MODEL);

    assertThat(failure(invoker.invoke(ConverseCorpus.userTurn("[[emulator:fail=429]]"))))
        .isEqualTo(
            new CallFailure(
                429, "Too many requests, please wait before trying again.", true, true));
    CallFailure serverError =
        failure(invoker.invoke(ConverseCorpus.userTurn("[[emulator:fail=500]]")));
    assertThat(serverError.statusCode()).isEqualTo(500);
    assertThat(serverError.retryable()).isTrue();
    assertThat(serverError.throttled()).isFalse();
    CallFailure modelError =
        failure(invoker.invoke(ConverseCorpus.userTurn("[[emulator:fail=424]]")));
    assertThat(modelError.statusCode()).isEqualTo(424);
    assertThat(modelError.retryable()).isFalse();
    CallFailure dropped = failure(invoker.invoke(ConverseCorpus.userTurn("[[emulator:drop]]")));
    assertThat(dropped.statusCode()).isEqualTo(500);
    assertThat(dropped.retryable()).isTrue();
    assertThat(dropped.message()).startsWith("Connection to the model failed");
  }

  @Test
  void aCallOutlivingTheCallTimeoutIsA408() {
    emulator.configure(
        SIGNED.toBuilder()
            .defaultBehavior(
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofSeconds(3)))
                    .build())
            .build());
    try (BedrockConnection impatient =
        connect(
            BedrockEndpoint.staticKeys(
                emulator.endpoint().toString(), "us-east-1", ACCESS_KEY, SECRET),
            InvokeLimits.builder().callTimeoutMillis(300).build())) {
      long started = System.nanoTime();
      CallFailure f =
          failure(
              new ConverseInvoker(impatient.runtimeHttp(), MODEL)
                  .invoke(ConverseCorpus.userTurn("slow")));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(f.statusCode()).isEqualTo(408);
      assertThat(f.retryable()).isTrue();
      assertThat(f.message()).contains("300 millis");
      assertThat(tookMillis).as("gave up at the timeout, not at the answer").isLessThan(2_500);
    }
  }

  @Test
  void inputBatchConverseRefusesNeverReachesTheModel() {
    ConverseInvoker invoker = new ConverseInvoker(connection.runtimeHttp(), MODEL);

    CompletableFuture<ModelResponse> toolConfig =
        invoker.invoke(
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}],\"toolConfig\":{\"tools\":[]}}");
    assertThatThrownBy(toolConfig::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(InvalidModelInputException.class)
        .hasMessage("toolConfig is not supported in batch Converse");
    assertThat(failure(invoker.invoke("{\"modelId\":\"x\",\"messages\":[]}")))
        .isEqualTo(
            new CallFailure(
                400, "modelInput.modelId: Extra inputs are not permitted", false, false));
    assertThat(failure(invoker.invoke("not json")))
        .isEqualTo(new CallFailure(400, "modelInput is not JSON", false, false));
    assertThat(emulator.stats().totals().requests()).isZero();
  }
}
