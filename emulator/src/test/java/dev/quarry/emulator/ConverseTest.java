package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class ConverseTest extends EmulatorFixture {

  private static ConverseRequest converse(String modelId, String prompt, Integer maxTokens) {
    return ConverseRequest.builder()
        .modelId(modelId)
        .system(SystemContentBlock.fromText("You are a helpful assistant."))
        .messages(
            Message.builder()
                .role(ConversationRole.USER)
                .content(ContentBlock.fromText(prompt))
                .build())
        .inferenceConfig(c -> c.maxTokens(maxTokens).temperature(0.5f))
        .build();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        CLAUDE,
        NOVA,
        TITAN_TEXT,
        LLAMA,
        MISTRAL,
        "us.anthropic.claude-3-5-haiku-20241022-v1:0"
      })
  void answersEveryTextFamilyThroughTheTypedConverseApi(String modelId) {
    ConverseResponse response = client.converse(converse(modelId, "Hello there, model", 400));

    Message message = response.output().message();
    assertThat(message.role()).isEqualTo(ConversationRole.ASSISTANT);
    assertThat(message.content().get(0).text())
        .startsWith("Emulated reply to: Hello there, model [");
    assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    int promptChars = "You are a helpful assistant.".length() + "Hello there, model".length();
    assertThat(response.usage().inputTokens()).isEqualTo((promptChars + 3) / 4);
    assertThat(response.usage().totalTokens())
        .isEqualTo(response.usage().inputTokens() + response.usage().outputTokens());
    assertThat(response.metrics().latencyMs()).isZero();
  }

  @Test
  void stopsAtMaxTokens() {
    ConverseResponse response = client.converse(converse(CLAUDE, "hi", 1));

    assertThat(response.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    assertThat(response.usage().outputTokens()).isEqualTo(1);
  }

  @Test
  void worksThroughTheAsyncClient() {
    ConverseResponse response = asyncClient.converse(converse(NOVA, "async hello", 100)).join();

    assertThat(response.output().message().content().get(0).text())
        .startsWith("Emulated reply to: async hello");
  }

  @Test
  void refusesEmbeddingModels() {
    assertThatThrownBy(() -> client.converse(converse(TITAN_EMBED, "embed?", 10)))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
        .hasMessageContaining("doesn't support");
  }

  @Test
  void refusesAConversationStartingWithTheAssistant() {
    ConverseRequest request =
        ConverseRequest.builder()
            .modelId(CLAUDE)
            .messages(
                Message.builder()
                    .role(ConversationRole.ASSISTANT)
                    .content(ContentBlock.fromText("I speak first"))
                    .build())
            .build();

    assertThatThrownBy(() -> client.converse(request))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("A conversation must start with a user message");
  }

  @Test
  void rejectsExtraInputsAndMissingMessagesInAwsValidationStyle() {
    HttpResponse<String> extra =
        RawHttp.post(
            emulator.endpoint(),
            "/model/" + CLAUDE + "/converse",
            "application/json",
            "{\"modelId\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":"
                + "\"hi\"}]}]}");
    assertThat(extra.statusCode()).isEqualTo(400);
    assertThat(extra.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
    assertThat(extra.body())
        .contains(
            "Value at 'modelId' failed to satisfy constraint: Extra inputs are not " + "permitted");

    HttpResponse<String> missing =
        RawHttp.post(
            emulator.endpoint(),
            "/model/" + CLAUDE + "/converse",
            "application/json",
            "{\"inferenceConfig\":{\"maxTokens\":0}}");
    assertThat(missing.body())
        .contains("2 validation errors detected")
        .contains("Value null at 'messages' failed to satisfy constraint: Member must not be null")
        .contains(
            "Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have "
                + "value greater than or equal to 1");
  }
}
