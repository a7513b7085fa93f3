package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class TitanTextFamilyTest extends EmulatorFixture {

  @Test
  void answersInTheTitanShape() {
    String request =
        "{\"inputText\":\"User: Summarize the plot of Hamlet\\nBot:\","
            + "\"textGenerationConfig\":{\"maxTokenCount\":512,\"temperature\":0.7,\"topP\":0.9,"
            + "\"stopSequences\":[\"User:\"]}}";

    InvokeModelResponse response = invoke(TITAN_TEXT, request);

    JsonNode body = Json.body(response);
    int input = body.get("inputTextTokenCount").asInt();
    assertThat(input).isEqualTo(("User: Summarize the plot of Hamlet\nBot:".length() + 3) / 4);
    assertThat(body.at("/results/0/outputText").asText())
        .startsWith("Emulated reply to: Summarize the plot of Hamlet [");
    assertThat(body.at("/results/0/completionReason").asText()).isEqualTo("FINISH");
    int output = body.at("/results/0/tokenCount").asInt();
    assertThat(header(response, "X-Amzn-Bedrock-Input-Token-Count"))
        .isEqualTo(Integer.toString(input));
    assertThat(header(response, "X-Amzn-Bedrock-Output-Token-Count"))
        .isEqualTo(Integer.toString(output));
  }

  @Test
  void reportsLengthWhenCutAtMaxTokenCount() {
    JsonNode body =
        Json.body(
            invoke(
                TITAN_TEXT,
                "{\"inputText\":\"hello\",\"textGenerationConfig\":{\"maxTokenCount\":4}}"));

    assertThat(body.at("/results/0/completionReason").asText()).isEqualTo("LENGTH");
    assertThat(body.at("/results/0/tokenCount").asInt()).isEqualTo(4);
  }

  @Test
  void rejectsInvalidBodies() {
    assertThatThrownBy(() -> invoke(TITAN_TEXT, "{\"prompt\":\"hello\"}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#: extraneous key [prompt] is not permitted")
        .hasMessageContaining("#: required key [inputText] not found");
    assertThatThrownBy(() -> invoke(TITAN_TEXT, "{\"inputText\":42}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/inputText: expected type: String, found: Integer");
  }
}
