package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.model.ModelId;
import java.util.Set;

/** Amazon Titan Text ({@code inputText} + {@code textGenerationConfig}). */
public final class TitanTextFamily implements ModelFamily {
  private static final Set<String> KEYS = Set.of("inputText", "textGenerationConfig");
  private static final Set<String> CONFIG_KEYS =
      Set.of("maxTokenCount", "temperature", "topP", "stopSequences");

  @Override
  public ModelRequest parseInvoke(JsonNode body, ModelId modelId) {
    SchemaViolations v = new SchemaViolations(SchemaViolations.Style.INVOKE);
    ObjectNode root = v.root(body);
    v.throwIfAny();
    v.allowOnly(root, "#", KEYS);
    String inputText = v.string(v.required(root, "#", "inputText"), "#/inputText");
    Integer maxTokens = null;
    ObjectNode config =
        v.object(v.optional(root, "textGenerationConfig"), "#/textGenerationConfig");
    if (config != null) {
      v.allowOnly(config, "#/textGenerationConfig", CONFIG_KEYS);
      maxTokens =
          v.integer(v.optional(config, "maxTokenCount"), "#/textGenerationConfig/maxTokenCount", 1);
      v.number(v.optional(config, "temperature"), "#/textGenerationConfig/temperature", 0, 1);
      v.number(v.optional(config, "topP"), "#/textGenerationConfig/topP", 0, 1);
      v.stringArray(v.optional(config, "stopSequences"), "#/textGenerationConfig/stopSequences");
    }
    v.throwIfAny();
    String prompt = lastUserLine(inputText);
    return ModelRequest.text(
        prompt,
        inputText.length(),
        maxTokens,
        defaultMaxTokens(),
        (json, c) -> {
          json.writeStartObject();
          json.writeNumberField("inputTextTokenCount", c.inputTokens());
          json.writeArrayFieldStart("results");
          json.writeStartObject();
          json.writeNumberField("tokenCount", c.outputTokens());
          json.writeStringField("outputText", c.text());
          json.writeStringField("completionReason", c.hitMaxTokens() ? "LENGTH" : "FINISH");
          json.writeEndObject();
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  @Override
  public boolean supportsConverse() {
    return true;
  }

  @Override
  public int defaultMaxTokens() {
    return 512;
  }

  // Titan chat prompts are "User: …\nBot:"; quote the user's words rather than the label.
  private static String lastUserLine(String inputText) {
    int user = inputText.lastIndexOf("User:");
    if (user < 0) {
      return inputText.strip();
    }
    String turn = inputText.substring(user + "User:".length());
    int bot = turn.indexOf("Bot:");
    return (bot < 0 ? turn : turn.substring(0, bot)).strip();
  }
}
