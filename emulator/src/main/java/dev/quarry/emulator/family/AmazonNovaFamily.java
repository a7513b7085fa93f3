package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.model.ModelId;
import java.util.List;
import java.util.Set;

/** Amazon Nova text models through the {@code messages-v1} InvokeModel body. */
public final class AmazonNovaFamily implements ModelFamily {
  private static final Set<String> KEYS =
      Set.of("schemaVersion", "messages", "system", "inferenceConfig", "toolConfig");
  private static final Set<String> MESSAGE_KEYS = Set.of("role", "content");
  private static final Set<String> INFERENCE_KEYS =
      Set.of(
          "maxTokens",
          "max_new_tokens",
          "temperature",
          "topP",
          "top_p",
          "topK",
          "top_k",
          "stopSequences",
          "reasoningConfig");
  private static final List<String> ROLES = List.of("user", "assistant");

  @Override
  public ModelRequest parseInvoke(JsonNode body, ModelId modelId) {
    SchemaViolations v = new SchemaViolations(SchemaViolations.Style.INVOKE);
    ObjectNode root = v.root(body);
    v.throwIfAny();
    v.allowOnly(root, "#", KEYS);
    v.string(v.optional(root, "schemaVersion"), "#/schemaVersion");
    v.object(v.optional(root, "toolConfig"), "#/toolConfig");
    TranscriptText transcript = new TranscriptText();
    ArrayNode system = v.array(v.optional(root, "system"), "#/system", 0);
    transcript.system(ContentBlocks.text(v, system, "#/system", ContentBlocks.SYSTEM_BLOCK_TYPES));
    ArrayNode messages = v.array(v.required(root, "#", "messages"), "#/messages", 1);
    if (messages != null) {
      for (int i = 0; i < messages.size(); i++) {
        String path = SchemaViolations.index("#/messages", i);
        ObjectNode message = v.object(messages.get(i), path);
        v.allowOnly(message, path, MESSAGE_KEYS);
        String role = v.oneOf(v.required(message, path, "role"), path + "/role", ROLES);
        ArrayNode content = v.array(v.required(message, path, "content"), path + "/content", 1);
        transcript.turn(
            role,
            ContentBlocks.text(v, content, path + "/content", ContentBlocks.MESSAGE_BLOCK_TYPES));
      }
    }
    Integer maxTokens = null;
    ObjectNode inference = v.object(v.optional(root, "inferenceConfig"), "#/inferenceConfig");
    if (inference != null) {
      v.allowOnly(inference, "#/inferenceConfig", INFERENCE_KEYS);
      maxTokens = v.integer(v.optional(inference, "maxTokens"), "#/inferenceConfig/maxTokens", 1);
      Integer legacyMax =
          v.integer(v.optional(inference, "max_new_tokens"), "#/inferenceConfig/max_new_tokens", 1);
      if (maxTokens == null) {
        maxTokens = legacyMax;
      }
      v.number(v.optional(inference, "temperature"), "#/inferenceConfig/temperature", 0, 1);
      v.number(v.optional(inference, "topP"), "#/inferenceConfig/topP", 0, 1);
      v.number(v.optional(inference, "top_p"), "#/inferenceConfig/top_p", 0, 1);
      v.integer(v.optional(inference, "topK"), "#/inferenceConfig/topK", 0);
      v.integer(v.optional(inference, "top_k"), "#/inferenceConfig/top_k", 0);
      v.stringArray(v.optional(inference, "stopSequences"), "#/inferenceConfig/stopSequences");
    }
    v.throwIfAny();
    return ModelRequest.text(
        transcript.lastUserText(),
        transcript.characters(),
        maxTokens,
        defaultMaxTokens(),
        (json, c) -> {
          json.writeStartObject();
          json.writeObjectFieldStart("output");
          json.writeObjectFieldStart("message");
          json.writeStringField("role", "assistant");
          json.writeArrayFieldStart("content");
          json.writeStartObject();
          json.writeStringField("text", c.text());
          json.writeEndObject();
          json.writeEndArray();
          json.writeEndObject();
          json.writeEndObject();
          json.writeStringField("stopReason", c.hitMaxTokens() ? "max_tokens" : "end_turn");
          json.writeObjectFieldStart("usage");
          json.writeNumberField("inputTokens", c.inputTokens());
          json.writeNumberField("outputTokens", c.outputTokens());
          json.writeNumberField("totalTokens", c.inputTokens() + c.outputTokens());
          json.writeEndObject();
          json.writeEndObject();
        });
  }

  @Override
  public boolean supportsConverse() {
    return true;
  }

  @Override
  public int defaultMaxTokens() {
    return 5000;
  }
}
