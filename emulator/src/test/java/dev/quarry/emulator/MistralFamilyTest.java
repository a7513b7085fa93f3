package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class MistralFamilyTest extends EmulatorFixture {

  @Test
  void answersTheCompletionFormInTheOutputsShape() {
    InvokeModelResponse response =
        invoke(
            MISTRAL,
            "{\"prompt\":\"<s>[INST] Translate cat to French [/INST]\",\"max_tokens\":400,\"temperature\":0.5}");

    JsonNode body = Json.body(response);
    assertThat(body.at("/outputs/0/text").asText())
        .startsWith("Emulated reply to: Translate cat to French [");
    assertThat(body.at("/outputs/0/stop_reason").asText()).isEqualTo("stop");
    assertThat(header(response, "X-Amzn-Bedrock-Input-Token-Count")).isNotNull();
    assertThat(header(response, "X-Amzn-Bedrock-Output-Token-Count")).isNotNull();
  }

  @Test
  void answersTheChatFormInTheChoicesShape() {
    InvokeModelResponse response =
        invoke(
            "mistral.mistral-large-2407-v1:0",
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Be nice.\"},"
                + "{\"role\":\"user\",\"content\":\"How are you?\"}],\"max_tokens\":2}");

    JsonNode body = Json.body(response);
    assertThat(body.at("/choices/0/index").asInt()).isZero();
    assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(body.at("/choices/0/message/content").asText())
        .startsWith("Emulated reply to: How are you? [");
    assertThat(body.at("/choices/0/stop_reason").asText()).isEqualTo("length");
    assertThat(header(response, "X-Amzn-Bedrock-Output-Token-Count")).isEqualTo("2");
  }

  @Test
  void rejectsInvalidBodies() {
    assertThatThrownBy(() -> invoke(MISTRAL, "{\"max_tokens\":20}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#: required key [prompt] not found");
    assertThatThrownBy(
            () -> invoke(MISTRAL, "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/messages/0/role: wizard is not a valid enum value");
  }
}
