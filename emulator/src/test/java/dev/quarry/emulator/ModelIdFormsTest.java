package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class ModelIdFormsTest extends EmulatorFixture {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "anthropic.claude-3-haiku-20240307-v1:0",
        "us.anthropic.claude-3-haiku-20240307-v1:0",
        "eu.anthropic.claude-3-haiku-20240307-v1:0",
        "apac.anthropic.claude-3-haiku-20240307-v1:0",
        "global.anthropic.claude-sonnet-4-20250514-v1:0",
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0"
      })
  void acceptsEveryIdFormAndKeysStatsByTheIdAsRequested(String modelId) {
    String text =
        Json.body(invoke(modelId, claudeBody("which model?"))).at("/content/0/text").asText();

    assertThat(text).startsWith("Emulated reply to: which model?");
    assertThat(emulator.stats().models()).containsOnlyKeys(modelId);
    assertThat(emulator.stats().model(modelId).succeeded()).isEqualTo(1);
  }

  @Test
  void decodesPercentEncodedPathSegments() {
    String encodedArn =
        "arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Fmeta.llama3-8b-instruct-v1%3A0";

    HttpResponse<String> response =
        RawHttp.post(
            emulator.endpoint(),
            "/model/" + encodedArn + "/invoke",
            "application/json",
            "{\"prompt\":\"encoded\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Json.parse(response.body()).get("generation").asText())
        .startsWith("Emulated reply to: encoded");
    assertThat(emulator.stats().models())
        .containsOnlyKeys(
            "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0");
  }

  @Test
  void acceptsAnUnencodedColon() {
    HttpResponse<String> response =
        RawHttp.post(
            emulator.endpoint(),
            "/model/" + LLAMA + "/invoke",
            "application/json",
            "{\"prompt\":\"colon\"}");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void rejectsAModelOfNoKnownFamily() {
    assertThatThrownBy(() -> invoke("cohere.command-r-v1:0", claudeBody("x")))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("The provided model identifier is invalid.");
            });
    assertThat(emulator.stats().model("cohere.command-r-v1:0").validationErrors()).isEqualTo(1);
  }
}
