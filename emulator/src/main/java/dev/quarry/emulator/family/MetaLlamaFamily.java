package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.model.ModelId;
import java.util.Set;

/** Meta Llama ({@code prompt}, {@code max_gen_len}, {@code temperature}, {@code top_p}). */
public final class MetaLlamaFamily implements ModelFamily {
  private static final Set<String> KEYS =
      Set.of("prompt", "max_gen_len", "temperature", "top_p", "images");

  @Override
  public ModelRequest parseInvoke(JsonNode body, ModelId modelId) {
    SchemaViolations v = new SchemaViolations(SchemaViolations.Style.INVOKE);
    ObjectNode root = v.root(body);
    v.throwIfAny();
    v.allowOnly(root, "#", KEYS);
    String prompt = v.string(v.required(root, "#", "prompt"), "#/prompt");
    Integer maxTokens = v.integer(v.optional(root, "max_gen_len"), "#/max_gen_len", 1);
    v.number(v.optional(root, "temperature"), "#/temperature", 0, 1);
    v.number(v.optional(root, "top_p"), "#/top_p", 0, 1);
    v.stringArray(v.optional(root, "images"), "#/images");
    v.throwIfAny();
    return ModelRequest.text(
        ChatTemplateText.lastUserTurn(prompt),
        prompt.length(),
        maxTokens,
        defaultMaxTokens(),
        (json, c) -> {
          json.writeStartObject();
          json.writeStringField("generation", c.text());
          json.writeNumberField("prompt_token_count", c.inputTokens());
          json.writeNumberField("generation_token_count", c.outputTokens());
          json.writeStringField("stop_reason", c.hitMaxTokens() ? "length" : "stop");
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
}
