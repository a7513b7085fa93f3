package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.stats.BodyDigest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTrace;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfigLatency;
import software.amazon.awssdk.services.bedrockruntime.model.PromptVariableValues;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * The Converse members beyond messages and inferenceConfig: caching, reasoning, guardrail trace,
 * echoes.
 */
class ConverseMembersTest extends EmulatorFixture {
  private static final String SYSTEM = "S".repeat(400);
  private static final String CACHED_TURN = "M".repeat(200);

  private HttpResponse<String> converse(String body) {
    return RawHttp.post(
        emulator.endpoint(), "/model/" + CLAUDE + "/converse", "application/json", body);
  }

  private JsonNode ok(String body) {
    HttpResponse<String> response = converse(body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private static String userTurn(String text) {
    return "{\"role\":\"user\",\"content\":[{\"text\":\"" + text + "\"}]}";
  }

  @Test
  void everyRequestMemberIsAcceptedThroughTheTypedSdk() {
    ConverseResponse response =
        client.converse(
            ConverseRequest.builder()
                .modelId(CLAUDE)
                .system(
                    SystemContentBlock.fromText(SYSTEM),
                    SystemContentBlock.fromCachePoint(
                        CachePointBlock.builder().type("default").build()))
                .messages(
                    Message.builder()
                        .role(ConversationRole.USER)
                        .content(
                            ContentBlock.fromText(CACHED_TURN),
                            ContentBlock.fromCachePoint(
                                CachePointBlock.builder().type("default").build()),
                            ContentBlock.fromText("tail"))
                        .build())
                .inferenceConfig(c -> c.maxTokens(300).temperature(1f))
                .additionalModelRequestFields(
                    Document.mapBuilder()
                        .putDocument(
                            "thinking",
                            Document.mapBuilder()
                                .putString("type", "enabled")
                                .putNumber("budget_tokens", 1024)
                                .build())
                        .build())
                .additionalModelResponseFieldPaths("/stop_sequence")
                .guardrailConfig(
                    g ->
                        g.guardrailIdentifier("gr1abc")
                            .guardrailVersion("1")
                            .trace(GuardrailTrace.ENABLED))
                .performanceConfig(p -> p.latency(PerformanceConfigLatency.OPTIMIZED))
                .requestMetadata(java.util.Map.of("team", "search"))
                .promptVariables(java.util.Map.of("topic", PromptVariableValues.fromText("rocks")))
                .outputConfig(
                    o ->
                        o.textFormat(
                            f ->
                                f.type("json_schema")
                                    .structure(
                                        s ->
                                            s.jsonSchema(
                                                j ->
                                                    j.name("answer")
                                                        .schema("{\"type\":\"object\"}")))))
                .build());

    // Prompt: 400 system characters (read from the cache), 200 written, then "\ntail" uncached.
    assertThat(response.usage().cacheReadInputTokens()).isEqualTo(100);
    assertThat(response.usage().cacheWriteInputTokens()).isEqualTo(50);
    assertThat(response.usage().inputTokens()).isEqualTo((400 + 200 + 5 + 3) / 4 - 150);
    assertThat(response.usage().totalTokens())
        .isEqualTo(response.usage().inputTokens() + response.usage().outputTokens() + 150);
    assertThat(response.output().message().content()).hasSize(2);
    assertThat(
            response.output().message().content().get(0).reasoningContent().reasoningText().text())
        .startsWith("Emulated reasoning before: Emulated reply to: ");
    assertThat(
            response
                .output()
                .message()
                .content()
                .get(0)
                .reasoningContent()
                .reasoningText()
                .signature())
        .isNotBlank();
    assertThat(response.output().message().content().get(1).text())
        .startsWith("Emulated reply to: " + CACHED_TURN.substring(0, 40));
    assertThat(response.additionalModelResponseFields().asMap()).containsKey("stop_sequence");
    assertThat(response.additionalModelResponseFields().asMap().get("stop_sequence").isNull())
        .isTrue();
    GuardrailAssessment input = response.trace().guardrail().inputAssessment().get("gr1abc");
    assertThat(input.invocationMetrics().guardrailCoverage().textCharacters().total())
        .isEqualTo(605);
    assertThat(input.invocationMetrics().usage().contentPolicyUnits()).isEqualTo(1);
    assertThat(response.trace().guardrail().outputAssessments().get("gr1abc")).hasSize(1);
    assertThat(response.trace().guardrail().hasModelOutput()).isFalse();
    assertThat(response.performanceConfig().latency())
        .isEqualTo(PerformanceConfigLatency.OPTIMIZED);
    assertThat(response.metrics().latencyMs()).isZero();
  }

  @Test
  void unknownMembersAreLetThroughButModelIdIsNot() {
    JsonNode body =
        ok(
            "{\"messages\":["
                + userTurn("hi")
                + "],\"someFutureMember\":{\"x\":1},"
                + "\"serviceTier\":{\"type\":\"flex\"}}");

    assertThat(body.at("/output/message/content/0/text").asText())
        .startsWith("Emulated reply to: hi [");
    assertThat(body.get("serviceTier")).isEqualTo(Json.parse("{\"type\":\"flex\"}"));
    HttpResponse<String> withModelId =
        converse("{\"modelId\":\"x\",\"messages\":[" + userTurn("hi") + "]}");
    assertThat(withModelId.statusCode()).isEqualTo(400);
    assertThat(withModelId.body())
        .contains(
            "Value at 'modelId' failed to satisfy constraint: Extra inputs are not " + "permitted");
  }

  @Test
  void withoutCachePointsUsageHasNoCacheMembersAndNothingOptionalIsAdded() {
    JsonNode body = ok("{\"messages\":[" + userTurn("plain") + "]}");

    assertThat(body.get("usage").has("cacheReadInputTokens")).isFalse();
    assertThat(body.get("usage").has("cacheWriteInputTokens")).isFalse();
    assertThat(body.fieldNames())
        .toIterable()
        .containsExactly("output", "stopReason", "usage", "metrics");
    assertThat(body.at("/output/message/content")).hasSize(1);
  }

  @Test
  void aCachePointInTheMessagesOnlyWritesAndTheHeadersSayWhatWasCached() {
    HttpResponse<String> response =
        converse(
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\""
                + CACHED_TURN
                + "\"},{\"cachePoint\":{\"type\":\"default\"}},{\"text\":\"question\"}]}]}");

    JsonNode usage = Json.parse(response.body()).get("usage");
    assertThat(usage.get("cacheReadInputTokens").asInt()).isZero();
    assertThat(usage.get("cacheWriteInputTokens").asInt()).isEqualTo(50);
    assertThat(response.headers().firstValue("X-Amzn-Bedrock-Cache-Write-Input-Token-Count"))
        .hasValue("50");
    assertThat(response.headers().firstValue("X-Amzn-Bedrock-Cache-Read-Input-Token-Count"))
        .isEmpty();
    assertThat(response.headers().firstValue("X-Amzn-Bedrock-Input-Token-Count"))
        .hasValue(usage.get("inputTokens").asText());
  }

  @Test
  void reasoningComesFirstWhenAnyFamilysReasoningSwitchIsOn() {
    String turn = "\"messages\":[" + userTurn("think") + "]";
    for (String fields :
        new String[] {
          "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}}",
          "{\"reasoning_config\":{\"type\":\"enabled\",\"budget_tokens\":2000}}",
          "{\"reasoningConfig\":{\"type\":\"enabled\",\"maxReasoningEffort\":\"low\"}}"
        }) {
      JsonNode body = ok("{" + turn + ",\"additionalModelRequestFields\":" + fields + "}");
      JsonNode content = body.at("/output/message/content");
      assertThat(content).as(fields).hasSize(2);
      String text = content.get(1).get("text").asText();
      assertThat(content.at("/0/reasoningContent/reasoningText/text").asText())
          .isEqualTo("Emulated reasoning before: " + text);
      assertThat(content.at("/0/reasoningContent/reasoningText/signature").asText())
          .isEqualTo(BodyDigest.of("Emulated reasoning before: " + text).base64());
    }
    JsonNode off =
        ok(
            "{"
                + turn
                + ",\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"disabled\"},"
                + "\"top_k\":5}}");
    assertThat(off.at("/output/message/content")).hasSize(1);
  }

  @Test
  void responseFieldPathsAreEchoedAsNestedMembers() {
    JsonNode body =
        ok(
            "{\"messages\":["
                + userTurn("x")
                + "],\"additionalModelResponseFieldPaths\":"
                + "[\"/stop_sequence\",\"/usage/cache~1detail\",\"not-a-pointer\"]}");

    assertThat(body.get("additionalModelResponseFields"))
        .isEqualTo(Json.parse("{\"stop_sequence\":null,\"usage\":{\"cache/detail\":null}}"));
  }

  @Test
  void theGuardrailTraceFollowsItsSetting() {
    String base =
        "{\"messages\":["
            + userTurn("guard me")
            + "],\"guardrailConfig\":{\"guardrailIdentifier\":"
            + "\"g1\",\"guardrailVersion\":\"DRAFT\"";
    assertThat(ok(base + "}}").has("trace")).isFalse();
    assertThat(ok(base + ",\"trace\":\"disabled\"}}").has("trace")).isFalse();
    JsonNode enabled = ok(base + ",\"trace\":\"enabled\"}}");
    assertThat(
            enabled
                .at(
                    "/trace/guardrail/inputAssessment/g1/invocationMetrics/guardrailCoverage/textCharacters"
                        + "/total")
                .asInt())
        .isEqualTo("guard me".length());
    assertThat(enabled.at("/trace/guardrail").has("modelOutput")).isFalse();
    JsonNode full = ok(base + ",\"trace\":\"enabled_full\"}}");
    assertThat(full.at("/trace/guardrail/modelOutput/0").asText())
        .isEqualTo(full.at("/output/message/content/0/text").asText());

    HttpResponse<String> bad = converse(base + ",\"trace\":\"loud\"}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body())
        .contains("Value 'loud' at 'guardrailConfig.trace' failed to satisfy constraint");
    HttpResponse<String> noVersion =
        converse(
            "{\"messages\":["
                + userTurn("x")
                + "],\"guardrailConfig\":"
                + "{\"guardrailIdentifier\":\"g1\"}}");
    assertThat(noVersion.body()).contains("Value null at 'guardrailConfig.guardrailVersion'");
  }

  @Test
  void performanceConfigIsEchoedAndChecked() {
    JsonNode body =
        ok(
            "{\"messages\":["
                + userTurn("fast")
                + "],\"performanceConfig\":{\"latency\":\"standard\"}}");
    assertThat(body.get("performanceConfig")).isEqualTo(Json.parse("{\"latency\":\"standard\"}"));

    assertThat(
            converse(
                    "{\"messages\":["
                        + userTurn("fast")
                        + "],\"performanceConfig\":{\"latency\":\"warp\"}}")
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void theSameBodyGetsTheSameBytes() {
    String body =
        "{\"system\":[{\"text\":\""
            + SYSTEM
            + "\"},{\"cachePoint\":{\"type\":\"default\"}}],"
            + "\"messages\":["
            + userTurn("same")
            + "],\"additionalModelRequestFields\":{\"thinking\":"
            + "{\"type\":\"enabled\",\"budget_tokens\":1024}},\"guardrailConfig\":{\"guardrailIdentifier\":\"g\","
            + "\"guardrailVersion\":\"1\",\"trace\":\"enabled_full\"},\"additionalModelResponseFieldPaths\":"
            + "[\"/stop_sequence\"],\"performanceConfig\":{\"latency\":\"optimized\"}}";

    assertThat(converse(body).body()).isEqualTo(converse(body).body());
  }
}
