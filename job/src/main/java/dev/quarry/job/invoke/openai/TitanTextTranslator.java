package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.ModelResponse;
import java.util.Set;

/**
 * Amazon Titan Text bodies ({@code inputText}, {@code textGenerationConfig} with {@code
 * maxTokenCount}, {@code temperature}, {@code topP}, {@code stopSequences}): the input text is one
 * user message. The answer is {@code
 * {"inputTextTokenCount","results":[{"tokenCount","outputText","completionReason"}]}}.
 */
final class TitanTextTranslator implements BedrockBodyTranslator {
  private static final Set<String> CONFIG =
      Set.of("maxTokenCount", "temperature", "topP", "stopSequences");

  @Override
  public UpstreamRequest request(JsonNode input, String upstreamModel) {
    Members.object(input, "modelInput");
    Members.onlyKnown(input, "modelInput", Set.of("inputText", "textGenerationConfig"), Set.of());
    ChatRequest chat =
        new ChatRequest(upstreamModel)
            .message("user", Members.requiredText(input, "inputText", "modelInput"));
    JsonNode config = input.get("textGenerationConfig");
    if (config != null && !config.isNull()) {
      String where = "modelInput.textGenerationConfig";
      Members.object(config, where);
      Members.onlyKnown(config, where, CONFIG, Set.of());
      chat.maxTokens(config.get("maxTokenCount"), where + ".maxTokenCount")
          .temperature(config.get("temperature"), where + ".temperature")
          .topP(config.get("topP"), where + ".topP")
          .stop(config.get("stopSequences"), where + ".stopSequences");
    }
    return chat.build();
  }

  @Override
  public ModelResponse response(JsonNode modelInput, JsonNode upstream, long latencyMillis) {
    ChatCompletion answer = ChatCompletion.parse(upstream);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("inputTextTokenCount", answer.promptTokens());
    ObjectNode result = body.putArray("results").addObject();
    result.put("tokenCount", answer.completionTokens());
    result.put("outputText", answer.text());
    result.put(
        "completionReason",
        answer.hitTokenLimit() ? "LENGTH" : answer.filtered() ? "CONTENT_FILTERED" : "FINISH");
    return new ModelResponse(body.toString(), answer.promptTokens(), answer.completionTokens());
  }
}
