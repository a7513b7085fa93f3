package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.FaultRates;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.config.RateLimits;
import dev.quarry.emulator.family.TitanEmbeddingFamily;
import dev.quarry.emulator.stats.ModelStats;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's OpenAI routes, driven by the official OpenAI Java SDK (and raw HTTP for what the
 * SDK will not send): answers in OpenAI's shapes, and the same latency, quotas, faults, directives
 * and stats as the Bedrock routes.
 */
class OpenAiRoutesTest extends EmulatorFixture {
  private static final String MODEL = "llama3.1:8b";
  private static final String EMBEDDER = "nomic-embed-text";

  private OpenAIClient openAi;

  @BeforeAll
  void startOpenAiClient() {
    openAi =
        OpenAIOkHttpClient.builder()
            .baseUrl(emulator.endpoint() + "/v1")
            .apiKey("sk-any-key-the-emulator-accepts")
            .maxRetries(0) // every fault and throttle is observed
            .timeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  void closeOpenAiClient() {
    openAi.close();
  }

  private ChatCompletion chat(String prompt, long maxTokens) {
    return openAi
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model(MODEL)
                .addSystemMessage("Be brief.")
                .addUserMessage(prompt)
                .maxCompletionTokens(maxTokens)
                .build());
  }

  @Test
  void chatCompletionAnswersTheLastUserTurnWithUsage() {
    ChatCompletion completion = chat("What is a quarry?", 512);

    assertThat(completion.model()).isEqualTo(MODEL);
    assertThat(completion.id()).startsWith("chatcmpl-");
    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.message().content())
        .hasValueSatisfying(
            text -> assertThat(text).startsWith("Emulated reply to: What is a quarry?"));
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    var usage = completion.usage().orElseThrow();
    // "Be brief." + "What is a quarry?" = 26 characters, four to a token.
    assertThat(usage.promptTokens()).isEqualTo(7);
    assertThat(usage.completionTokens()).isBetween(16L, 256L);
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

    ModelStats stats = emulator.stats().model(MODEL);
    assertThat(stats.requests()).isEqualTo(1);
    assertThat(stats.succeeded()).isEqualTo(1);
    assertThat(stats.inputTokens()).isEqualTo(7);
    assertThat(stats.outputTokens()).isEqualTo(usage.completionTokens());
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() {
    ChatCompletion completion = chat("Tell me everything.", 3);

    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
  }

  @Test
  void embeddingsAnswerOneUnitVectorPerInput() {
    CreateEmbeddingResponse response =
        openAi
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model(EMBEDDER)
                    .inputOfArrayOfStrings(List.of("first text", "second text"))
                    .dimensions(256)
                    .build());

    assertThat(response.data()).hasSize(2);
    assertThat(response.model()).isEqualTo(EMBEDDER);
    for (int i = 0; i < 2; i++) {
      List<Float> vector = response.data().get(i).embedding();
      assertThat(response.data().get(i).index()).isEqualTo(i);
      assertThat(vector).hasSize(256);
      double norm = Math.sqrt(vector.stream().mapToDouble(x -> x * x).sum());
      assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
    float[] expected = TitanEmbeddingFamily.vector("second text", 256, true);
    assertThat(response.data().get(1).embedding().get(0)).isEqualTo(expected[0]);
    // "first text\nsecond text" = 22 characters.
    assertThat(response.usage().promptTokens()).isEqualTo(6);
    assertThat(emulator.stats().model(EMBEDDER).succeeded()).isEqualTo(1);
  }

  @Test
  void directivesFailAsOpenAiFails() {
    assertThatThrownBy(() -> chat("[[emulator:fail=429]] again", 16))
        .isInstanceOfSatisfying(
            RateLimitException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
    assertThatThrownBy(() -> chat("[[emulator:fail=500]] again", 16))
        .isInstanceOfSatisfying(
            InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    assertThatThrownBy(() -> chat("[[emulator:fail=400]] again", 16))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.getMessage()).contains("rejected by an emulator directive");
            });

    ModelStats stats = emulator.stats().model(MODEL);
    assertThat(stats.requests()).isEqualTo(3);
    assertThat(stats.throttled()).isEqualTo(1);
    assertThat(stats.faults().internalServerError()).isEqualTo(1);
    assertThat(stats.validationErrors()).isEqualTo(1);
  }

  @Test
  void aThrottleAnswersInOpenAisErrorShape() {
    HttpResponse<String> response =
        RawHttp.post(
            emulator.endpoint(),
            "/v1/chat/completions",
            "application/json",
            "{\"model\":\""
                + MODEL
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"[[emulator:fail=429]]\"}]}");

    assertThat(response.statusCode()).isEqualTo(429);
    JsonNode error = Json.parse(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("requests");
    assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.get("message").asText()).startsWith("Rate limit reached");
    assertThat(error.has("param")).isTrue();
    assertThat(response.headers().firstValue("x-request-id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
  }

  @Test
  void quotasConfiguredForTheModelThrottleItsOpenAiCalls() {
    emulator.configure(
        EmulatorConfig.builder()
            .model(
                MODEL,
                ModelBehavior.builder()
                    .limits(RateLimits.builder().requestsPerMinute(60).requestBurst(2).build())
                    .build())
            .build());

    chat("one", 8);
    chat("two", 8);
    assertThatThrownBy(() -> chat("three", 8)).isInstanceOf(RateLimitException.class);
    assertThat(emulator.stats().model(MODEL).throttled()).isEqualTo(1);
  }

  @Test
  void configuredFaultRatesApply() {
    emulator.configure(
        EmulatorConfig.builder()
            .model(
                "llama*",
                ModelBehavior.builder()
                    .faults(FaultRates.builder().serviceUnavailable(1.0).build())
                    .build())
            .build());

    assertThatThrownBy(() -> chat("anything", 8))
        .isInstanceOfSatisfying(
            InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThat(emulator.stats().model(MODEL).faults().serviceUnavailable()).isEqualTo(1);
  }

  @Test
  void configuredLatencyDelaysTheAnswer() {
    emulator.configure(
        EmulatorConfig.builder()
            .model(
                MODEL,
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofMillis(300)))
                    .build())
            .build());

    long start = System.nanoTime();
    ChatCompletion completion = chat("slowly", 8);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
    assertThat(completion.choices()).hasSize(1);
  }

  @Test
  void invalidRequestsAreRefusedNamingTheParameter() {
    HttpResponse<String> unknown =
        RawHttp.post(
            emulator.endpoint(),
            "/v1/chat/completions",
            "application/json",
            "{\"model\":\""
                + MODEL
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_k\":5}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    JsonNode error = Json.parse(unknown.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo("top_k");
    assertThat(error.get("message").asText())
        .isEqualTo("Unrecognized request argument supplied: top_k");

    HttpResponse<String> noMessages =
        RawHttp.post(
            emulator.endpoint(),
            "/v1/chat/completions",
            "application/json",
            "{\"model\":\"" + MODEL + "\"}");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(Json.parse(noMessages.body()).at("/error/param").asText()).isEqualTo("messages");

    HttpResponse<String> streaming =
        RawHttp.post(
            emulator.endpoint(),
            "/v1/chat/completions",
            "application/json",
            "{\"model\":\""
                + MODEL
                + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(streaming.statusCode()).isEqualTo(400);

    HttpResponse<String> notFound =
        RawHttp.post(emulator.endpoint(), "/v1/completions", "application/json", "{}");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(Json.parse(notFound.body()).at("/error/type").asText())
        .isEqualTo("invalid_request_error");

    assertThat(emulator.stats().model(MODEL).validationErrors()).isEqualTo(3);
  }
}
