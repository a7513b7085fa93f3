package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class TitanEmbeddingFamilyTest extends EmulatorFixture {

  @Test
  void answersAUnitVectorOfTheDefaultSize() {
    InvokeModelResponse response = invoke(TITAN_EMBED, "{\"inputText\":\"embed me please\"}");

    JsonNode body = Json.body(response);
    assertThat(body.get("embedding").size()).isEqualTo(1024);
    assertThat(norm(body.get("embedding"))).isCloseTo(1.0, within(1e-4));
    assertThat(body.get("inputTextTokenCount").asInt())
        .isEqualTo(("embed me please".length() + 3) / 4);
    assertThat(header(response, "X-Amzn-Bedrock-Input-Token-Count"))
        .isEqualTo(body.get("inputTextTokenCount").asText());
    assertThat(header(response, "X-Amzn-Bedrock-Output-Token-Count")).isEqualTo("0");
  }

  @Test
  void honoursDimensionsAndNormalizeAndIsDeterministicInTheText() {
    JsonNode a =
        Json.body(
            invoke(
                TITAN_EMBED,
                "{\"inputText\":\"same text\",\"dimensions\":256,\"normalize\":false}"));
    JsonNode b =
        Json.body(
            invoke(
                TITAN_EMBED,
                "{\"normalize\":false,\"dimensions\":256,\"inputText\":\"same text\"}"));
    JsonNode other =
        Json.body(
            invoke(
                TITAN_EMBED,
                "{\"inputText\":\"other text\",\"dimensions\":256,\"normalize\":false}"));

    assertThat(a.get("embedding").size()).isEqualTo(256);
    assertThat(a.get("embedding")).isEqualTo(b.get("embedding"));
    assertThat(a.get("embedding")).isNotEqualTo(other.get("embedding"));
    assertThat(norm(a.get("embedding"))).isGreaterThan(1.5);
  }

  @Test
  void answersEmbeddingsByTypeWhenAsked() {
    JsonNode body =
        Json.body(
            invoke(
                TITAN_EMBED,
                "{\"inputText\":\"x\",\"dimensions\":512,\"embeddingTypes\":[\"float\",\"binary\"]}"));

    assertThat(body.at("/embeddingsByType/float").size()).isEqualTo(512);
    assertThat(body.at("/embeddingsByType/binary").size()).isEqualTo(512);
  }

  @Test
  void v1AnswersFifteenHundredThirtySixDimensionsAndTakesOnlyInputText() {
    JsonNode body = Json.body(invoke("amazon.titan-embed-text-v1", "{\"inputText\":\"x\"}"));
    assertThat(body.get("embedding").size()).isEqualTo(1536);

    assertThatThrownBy(
            () -> invoke("amazon.titan-embed-text-v1", "{\"inputText\":\"x\",\"dimensions\":256}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#: extraneous key [dimensions] is not permitted");
  }

  @Test
  void rejectsInvalidBodies() {
    assertThatThrownBy(() -> invoke(TITAN_EMBED, "{\"inputText\":\"x\",\"dimensions\":300}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/dimensions: 300 is not a valid enum value");
    assertThatThrownBy(() -> invoke(TITAN_EMBED, "{\"inputText\":\"\"}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/inputText: expected minLength: 1, actual: 0");
    assertThatThrownBy(() -> invoke(TITAN_EMBED, "{\"inputText\":\"x\",\"normalize\":\"yes\"}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("#/normalize: expected type: Boolean, found: String");
  }

  private static double norm(JsonNode vector) {
    double sum = 0;
    for (JsonNode x : vector) {
      sum += x.asDouble() * x.asDouble();
    }
    return Math.sqrt(sum);
  }
}
