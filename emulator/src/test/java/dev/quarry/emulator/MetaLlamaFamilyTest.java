package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class MetaLlamaFamilyTest extends EmulatorFixture {

  @Test
  void answersInTheLlamaShapeQuotingTheUserTurnOfATemplatedPrompt() {
    String prompt =
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\\n\\nTell me a joke"
            + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\\n\\n";
    String request =
        "{\"prompt\":\"" + prompt + "\",\"max_gen_len\":256,\"temperature\":0.5,\"top_p\":0.9}";

    InvokeModelResponse response = invoke(LLAMA, request);

    JsonNode body = Json.body(response);
    assertThat(body.get("generation").asText()).startsWith("Emulated reply to: Tell me a joke [");
    assertThat(body.get("stop_reason").asText()).isEqualTo("stop");
    int input = body.get("prompt_token_count").asInt();
    int output = body.get("generation_token_count").asInt();
    assertThat(input).isGreaterThan(10);
    assertThat(header(response, "X-Amzn-Bedrock-Input-Token-Count"))
        .isEqualTo(Integer.toString(input));
    assertThat(header(response, "X-Amzn-Bedrock-Output-Token-Count"))
        .isEqualTo(Integer.toString(output));
  }

  @Test
  void reportsLengthWhenCutAtMaxGenLen() {
    JsonNode body = Json.body(invoke(LLAMA, "{\"prompt\":\"hi\",\"max_gen_len\":5}"));

    assertThat(body.get("stop_reason").asText()).isEqualTo("length");
    assertThat(body.get("generation_token_count").asInt()).isEqualTo(5);
  }

  @Test
  void rejectsInvalidBodies() {
    assertThatThrownBy(() -> invoke(LLAMA, "{\"max_gen_len\":5}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#: required key [prompt] not found");
    assertThatThrownBy(() -> invoke(LLAMA, "{\"prompt\":\"hi\",\"temperature\":\"hot\"}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/temperature: expected type: Number, found: String");
  }
}
