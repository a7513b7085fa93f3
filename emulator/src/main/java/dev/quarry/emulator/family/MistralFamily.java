package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.model.ModelId;
import java.util.List;
import java.util.Set;

/**
 * Mistral, in both body forms Bedrock accepts: text completion ({@code prompt} → {@code outputs})
 * and chat ({@code messages} → {@code choices}).
 */
public final class MistralFamily implements ModelFamily {
  private static final Set<String> KEYS =
      Set.of(
          "prompt",
          "messages",
          "max_tokens",
          "temperature",
          "top_p",
          "top_k",
          "stop",
          "tools",
          "tool_choice",
          "response_format");
  private static final Set<String> MESSAGE_KEYS =
      Set.of("role", "content", "tool_calls", "tool_call_id", "name");
  private static final List<String> ROLES = List.of("system", "user", "assistant", "tool");

  @Override
  public ModelRequest parseInvoke(JsonNode body, ModelId modelId) {
    SchemaViolations v = new SchemaViolations(SchemaViolations.Style.INVOKE);
    ObjectNode root = v.root(body);
    v.throwIfAny();
    v.allowOnly(root, "#", KEYS);
    boolean chat = root.has("messages") && !root.has("prompt");
    Integer maxTokens = v.integer(v.optional(root, "max_tokens"), "#/max_tokens", 1);
    v.number(v.optional(root, "temperature"), "#/temperature", 0, 1);
    v.number(v.optional(root, "top_p"), "#/top_p", 0, 1);
    v.integer(v.optional(root, "top_k"), "#/top_k", 0);
    v.stringArray(v.optional(root, "stop"), "#/stop");
    if (!chat) {
      String prompt = v.string(v.required(root, "#", "prompt"), "#/prompt");
      v.throwIfAny();
      return ModelRequest.text(
          ChatTemplateText.lastUserTurn(prompt),
          prompt.length(),
          maxTokens,
          defaultMaxTokens(),
          (json, c) -> {
            json.writeStartObject();
            json.writeArrayFieldStart("outputs");
            json.writeStartObject();
            json.writeStringField("text", c.text());
            json.writeStringField("stop_reason", c.hitMaxTokens() ? "length" : "stop");
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
          });
    }
    ArrayNode messages = v.array(v.required(root, "#", "messages"), "#/messages", 1);
    TranscriptText transcript = new TranscriptText();
    if (messages != null) {
      for (int i = 0; i < messages.size(); i++) {
        String path = SchemaViolations.index("#/messages", i);
        ObjectNode message = v.object(messages.get(i), path);
        v.allowOnly(message, path, MESSAGE_KEYS);
        String role = v.oneOf(v.required(message, path, "role"), path + "/role", ROLES);
        JsonNode content = v.optional(message, "content");
        String text = "";
        if (content != null && !content.isNull()) {
          text = v.string(content, path + "/content");
        }
        if ("system".equals(role)) {
          transcript.system(text);
        } else {
          transcript.turn(role, text == null ? "" : text);
        }
      }
    }
    v.throwIfAny();
    return ModelRequest.text(
        transcript.lastUserText(),
        transcript.characters(),
        maxTokens,
        defaultMaxTokens(),
        (json, c) -> {
          json.writeStartObject();
          json.writeArrayFieldStart("choices");
          json.writeStartObject();
          json.writeNumberField("index", 0);
          json.writeObjectFieldStart("message");
          json.writeStringField("role", "assistant");
          json.writeStringField("content", c.text());
          json.writeEndObject();
          json.writeStringField("stop_reason", c.hitMaxTokens() ? "length" : "stop");
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
}
