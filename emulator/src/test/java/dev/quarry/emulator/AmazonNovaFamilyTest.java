package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class AmazonNovaFamilyTest extends EmulatorFixture {

  @Test
  void answersInTheNovaShape() {
    String request =
        "{\"schemaVersion\":\"messages-v1\",\"system\":[{\"text\":\"Be brief.\"}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Name a prime number\"}]}],"
            + "\"inferenceConfig\":{\"maxTokens\":300,\"temperature\":0.5,\"topP\":0.9}}";

    InvokeModelResponse response = invoke(NOVA, request);

    JsonNode body = Json.body(response);
    assertThat(body.at("/output/message/role").asText()).isEqualTo("assistant");
    assertThat(body.at("/output/message/content/0/text").asText())
        .startsWith("Emulated reply to: Name a prime number [");
    assertThat(body.get("stopReason").asText()).isEqualTo("end_turn");
    int input = body.at("/usage/inputTokens").asInt();
    int output = body.at("/usage/outputTokens").asInt();
    assertThat(input).isEqualTo(("Be brief.".length() + "Name a prime number".length() + 3) / 4);
    assertThat(body.at("/usage/totalTokens").asInt()).isEqualTo(input + output);
    assertThat(header(response, "X-Amzn-Bedrock-Input-Token-Count"))
        .isEqualTo(Integer.toString(input));
    assertThat(header(response, "X-Amzn-Bedrock-Output-Token-Count"))
        .isEqualTo(Integer.toString(output));
  }

  @Test
  void stopsAtMaxTokens() {
    String request =
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}],"
            + "\"inferenceConfig\":{\"maxTokens\":2}}";

    JsonNode body = Json.body(invoke(NOVA, request));

    assertThat(body.get("stopReason").asText()).isEqualTo("max_tokens");
    assertThat(body.at("/usage/outputTokens").asInt()).isEqualTo(2);
  }

  @Test
  void rejectsInvalidBodies() {
    assertThatThrownBy(() -> invoke(NOVA, "{\"inferenceConfig\":{\"maxTokens\":10}}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#: required key [messages] not found");
    assertThatThrownBy(
            () -> invoke(NOVA, "{\"messages\":[{\"role\":\"user\",\"content\":\"plain string\"}]}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/messages/0/content: expected type: JSONArray, found: String");
    assertThatThrownBy(
            () ->
                invoke(
                    NOVA,
                    "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}],"
                        + "\"inferenceConfig\":{\"maxTokens\":\"many\"}}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/inferenceConfig/maxTokens: expected type: Integer, found: String");
  }
}
