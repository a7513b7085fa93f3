package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class AnthropicClaudeFamilyTest extends EmulatorFixture {

  @Test
  void answersInTheMessagesShapeWithTokenCountsInBodyAndHeaders() {
    InvokeModelResponse response = invoke(CLAUDE, claudeBody("What is the capital of France?"));

    JsonNode body = Json.body(response);
    assertThat(body.get("id").asText()).startsWith("msg_bdrk_");
    assertThat(body.get("type").asText()).isEqualTo("message");
    assertThat(body.get("role").asText()).isEqualTo("assistant");
    assertThat(body.get("model").asText()).isEqualTo("claude-3-haiku-20240307");
    assertThat(body.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(body.at("/content/0/text").asText())
        .startsWith("Emulated reply to: What is the capital of France?");
    assertThat(body.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.get("stop_sequence").isNull()).isTrue();
    int input = body.at("/usage/input_tokens").asInt();
    int output = body.at("/usage/output_tokens").asInt();
    assertThat(input).isEqualTo((int) Math.ceil("What is the capital of France?".length() / 4.0));
    assertThat(output).isBetween(16, 256);
    assertThat(header(response, "X-Amzn-Bedrock-Input-Token-Count"))
        .isEqualTo(Integer.toString(input));
    assertThat(header(response, "X-Amzn-Bedrock-Output-Token-Count"))
        .isEqualTo(Integer.toString(output));
    assertThat(header(response, "X-Amzn-Bedrock-Invocation-Latency")).isEqualTo("0");
    assertThat(header(response, "x-amzn-RequestId")).matches("[0-9a-f-]{36}");
    assertThat(response.contentType()).isEqualTo("application/json");
  }

  @Test
  void stopsAtMaxTokens() {
    JsonNode body = Json.body(invoke(CLAUDE, claudeBody("Write a long essay", 3)));

    assertThat(body.get("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(body.at("/usage/output_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void acceptsStringContentSystemPromptsAndSamplingParameters() {
    String request =
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
            + "\"system\":[{\"type\":\"text\",\"text\":\"You are terse.\"}],"
            + "\"temperature\":0.2,\"top_p\":0.9,\"top_k\":50,\"stop_sequences\":[\"END\"],"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"first question\"},"
            + "{\"role\":\"assistant\",\"content\":\"an answer\"},"
            + "{\"role\":\"user\",\"content\":\"second question\"}]}";

    JsonNode body = Json.body(invoke(CLAUDE, request));

    assertThat(body.at("/content/0/text").asText())
        .startsWith("Emulated reply to: second question [");
    int promptChars =
        "You are terse.".length()
            + "first question".length()
            + "an answer".length()
            + "second question".length();
    assertThat(body.at("/usage/input_tokens").asInt()).isEqualTo((promptChars + 3) / 4);
  }

  @Test
  void rejectsAMissingRequiredKey() {
    String request = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10}";

    assertThatThrownBy(() -> invoke(CLAUDE, request))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo(
                      "Malformed input request: #: required "
                          + "key [messages] not found, please reformat your input and try again.");
            });
  }

  @Test
  void rejectsAWronglyTypedValue() {
    String request =
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":\"ten\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    assertThatThrownBy(() -> invoke(CLAUDE, request))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/max_tokens: expected type: Integer, found: String");
  }

  @Test
  void rejectsAModelIdInsideTheBody() {
    String request =
        "{\"modelId\":\""
            + CLAUDE
            + "\",\"anthropic_version\":\"bedrock-2023-05-31\","
            + "\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    assertThatThrownBy(() -> invoke(CLAUDE, request))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#: extraneous key [modelId] is not permitted");
  }

  @Test
  void reportsEveryViolationAtOnce() {
    String request = "{\"max_tokens\":0,\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}";

    assertThatThrownBy(() -> invoke(CLAUDE, request))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("3 schema violations found")
        .hasMessageContaining("#: required key [anthropic_version] not found")
        .hasMessageContaining("#/max_tokens: 0 is not greater or equal to 1")
        .hasMessageContaining("#/messages/0/role: robot is not a valid enum value");
  }

  @Test
  void rejectsEmptyMessagesAndBadBlocks() {
    assertThatThrownBy(
            () ->
                invoke(
                    CLAUDE,
                    "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,\"messages\":[]}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/messages: expected minimum item count: 1, found: 0");
    assertThatThrownBy(
            () ->
                invoke(
                    CLAUDE,
                    "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/messages/0/content/0: required key [text] not found");
  }

  @Test
  void rejectsBodiesThatAreNotJsonObjects() {
    assertThatThrownBy(() -> invoke(CLAUDE, "not json"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Malformed input request: the request body is not valid JSON");
    assertThatThrownBy(() -> invoke(CLAUDE, "[1,2]"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#: expected type: JSONObject, found: JSONArray");
    assertThatThrownBy(() -> invoke(CLAUDE, "{} {}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void countsValidationErrorsInStats() {
    try {
      invoke(CLAUDE, "{}");
    } catch (ValidationException expected) {
      // counted below
    }
    invoke(CLAUDE, claudeBody("fine"));

    assertThat(emulator.stats().model(CLAUDE).validationErrors()).isEqualTo(1);
    assertThat(emulator.stats().model(CLAUDE).succeeded()).isEqualTo(1);
    assertThat(emulator.stats().model(CLAUDE).requests()).isEqualTo(2);
  }
}
