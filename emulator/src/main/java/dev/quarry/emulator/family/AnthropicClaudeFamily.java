package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.model.ModelId;
import dev.quarry.emulator.wire.RequestIds;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Anthropic Claude through the Messages API body ({@code anthropic_version}, {@code max_tokens},
 * {@code messages}).
 */
public final class AnthropicClaudeFamily implements ModelFamily {
  private static final Set<String> KEYS =
      Set.of(
          "anthropic_version",
          "anthropic_beta",
          "max_tokens",
          "messages",
          "system",
          "temperature",
          "top_p",
          "top_k",
          "stop_sequences",
          "tools",
          "tool_choice",
          "metadata",
          "thinking");
  private static final Set<String> MESSAGE_KEYS = Set.of("role", "content");
  private static final List<String> ROLES = List.of("user", "assistant");
  private static final Pattern VERSION_SUFFIX = Pattern.compile("-v\\d+(:\\d+)*$");
  // Few distinct model ids, many requests: keep the regex off the per-request path.
  private static final ConcurrentMap<String, String> RESPONSE_MODEL_NAMES =
      new ConcurrentHashMap<>();

  @Override
  public ModelRequest parseInvoke(JsonNode body, ModelId modelId) {
    SchemaViolations v = new SchemaViolations(SchemaViolations.Style.INVOKE);
    ObjectNode root = v.root(body);
    v.throwIfAny();
    v.allowOnly(root, "#", KEYS);
    v.string(v.required(root, "#", "anthropic_version"), "#/anthropic_version");
    Integer maxTokens = v.integer(v.required(root, "#", "max_tokens"), "#/max_tokens", 1);
    ArrayNode messages = v.array(v.required(root, "#", "messages"), "#/messages", 1);
    TranscriptText transcript = new TranscriptText();
    transcript.system(systemText(v, v.optional(root, "system")));
    v.number(v.optional(root, "temperature"), "#/temperature", 0, 1);
    v.number(v.optional(root, "top_p"), "#/top_p", 0, 1);
    v.integer(v.optional(root, "top_k"), "#/top_k", 0);
    v.stringArray(v.optional(root, "stop_sequences"), "#/stop_sequences");
    if (messages != null) {
      for (int i = 0; i < messages.size(); i++) {
        String path = SchemaViolations.index("#/messages", i);
        ObjectNode message = v.object(messages.get(i), path);
        v.allowOnly(message, path, MESSAGE_KEYS);
        String role = v.oneOf(v.required(message, path, "role"), path + "/role", ROLES);
        String text = contentText(v, v.required(message, path, "content"), path + "/content");
        transcript.turn(role, text);
      }
    }
    v.throwIfAny();
    String model =
        RESPONSE_MODEL_NAMES.computeIfAbsent(
            modelId.foundationModel(), AnthropicClaudeFamily::responseModelName);
    return ModelRequest.text(
        transcript.lastUserText(),
        transcript.characters(),
        maxTokens,
        defaultMaxTokens(),
        (json, c) -> {
          json.writeStartObject();
          json.writeStringField("id", RequestIds.newBase62Id("msg_bdrk_", 24));
          json.writeStringField("type", "message");
          json.writeStringField("role", "assistant");
          json.writeStringField("model", model);
          json.writeArrayFieldStart("content");
          json.writeStartObject();
          json.writeStringField("type", "text");
          json.writeStringField("text", c.text());
          json.writeEndObject();
          json.writeEndArray();
          json.writeStringField("stop_reason", c.hitMaxTokens() ? "max_tokens" : "end_turn");
          json.writeNullField("stop_sequence");
          json.writeObjectFieldStart("usage");
          json.writeNumberField("input_tokens", c.inputTokens());
          json.writeNumberField("output_tokens", c.outputTokens());
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
    return 4096;
  }

  // "anthropic.claude-3-haiku-20240307-v1:0" -> "claude-3-haiku-20240307", as Bedrock reports it.
  static String responseModelName(String foundationModel) {
    String name =
        foundationModel.startsWith("anthropic.")
            ? foundationModel.substring("anthropic.".length())
            : foundationModel;
    return VERSION_SUFFIX.matcher(name).replaceFirst("");
  }

  private static String systemText(SchemaViolations v, JsonNode system) {
    if (system == null) {
      return null;
    }
    if (system.isTextual()) {
      return system.textValue();
    }
    if (system.isArray()) {
      return blocksText(v, (ArrayNode) system, "#/system");
    }
    v.typeMismatch("#/system", "String or JSONArray", system);
    return null;
  }

  private static String contentText(SchemaViolations v, JsonNode content, String path) {
    if (content == null) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (content.isArray()) {
      return blocksText(v, (ArrayNode) content, path);
    }
    v.typeMismatch(path, "String or JSONArray", content);
    return "";
  }

  // Text of the "text" blocks; other block types (image, tool_use, tool_result, document…) carry no
  // prompt text.
  private static String blocksText(SchemaViolations v, ArrayNode blocks, String path) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      String blockPath = SchemaViolations.index(path, i);
      ObjectNode block = v.object(blocks.get(i), blockPath);
      String type = v.string(v.required(block, blockPath, "type"), blockPath + "/type");
      if ("text".equals(type)) {
        String t = v.string(v.required(block, blockPath, "text"), blockPath + "/text");
        if (t != null) {
          if (text.length() > 0) {
            text.append('\n');
          }
          text.append(t);
        }
      }
    }
    return text.toString();
  }
}
