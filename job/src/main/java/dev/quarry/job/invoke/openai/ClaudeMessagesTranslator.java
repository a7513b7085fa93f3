package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.ModelResponse;
import java.util.Set;
import java.util.UUID;

/**
 * Anthropic Claude Messages bodies: {@code system}, {@code messages} of text and image blocks,
 * {@code max_tokens}, {@code temperature}, {@code top_p}, {@code stop_sequences}. {@code
 * anthropic_version}, {@code anthropic_beta} and {@code top_k} are left out; tools, documents and
 * thinking cannot be sent. The answer is a Claude message ({@code content}, {@code stop_reason},
 * {@code usage.input_tokens}/{@code output_tokens}).
 */
final class ClaudeMessagesTranslator implements BedrockBodyTranslator {
  private static final Set<String> TRANSLATED =
      Set.of("messages", "system", "max_tokens", "temperature", "top_p", "stop_sequences");
  private static final Set<String> LEFT_OUT =
      Set.of("anthropic_version", "anthropic_beta", "top_k");

  @Override
  public UpstreamRequest request(JsonNode input, String upstreamModel) {
    Members.object(input, "modelInput");
    Members.onlyKnown(input, "modelInput", TRANSLATED, LEFT_OUT);
    if (!input.path("max_tokens").isIntegralNumber()) {
      throw new InvalidModelInputException(
          "modelInput.max_tokens is required and must be an integer");
    }
    ChatRequest chat = new ChatRequest(upstreamModel);
    chat.system(system(input.get("system")));
    JsonNode messages = input.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new InvalidModelInputException("modelInput.messages must be a non-empty array");
    }
    for (int i = 0; i < messages.size(); i++) {
      String where = "modelInput.messages[" + i + "]";
      JsonNode message = Members.object(messages.get(i), where);
      String role = message.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw new InvalidModelInputException(where + ".role must be user or assistant");
      }
      chat.message(role, content(message.get("content"), where + ".content"));
    }
    chat.maxTokens(input.get("max_tokens"), "modelInput.max_tokens");
    chat.temperature(input.get("temperature"), "modelInput.temperature");
    chat.topP(input.get("top_p"), "modelInput.top_p");
    chat.stop(input.get("stop_sequences"), "modelInput.stop_sequences");
    return chat.build();
  }

  @Override
  public ModelResponse response(JsonNode modelInput, JsonNode upstream, long latencyMillis) {
    ChatCompletion answer = ChatCompletion.parse(upstream);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put(
        "id",
        answer.id() != null ? answer.id() : "msg_" + UUID.randomUUID().toString().replace("-", ""));
    body.put("type", "message");
    body.put("role", "assistant");
    if (answer.model() != null) {
      body.put("model", answer.model());
    }
    body.putArray("content").addObject().put("type", "text").put("text", answer.text());
    body.put(
        "stop_reason",
        answer.hitTokenLimit() ? "max_tokens" : answer.filtered() ? "refusal" : "end_turn");
    body.putNull("stop_sequence");
    ObjectNode usage = body.putObject("usage");
    usage.put("input_tokens", answer.promptTokens());
    usage.put("output_tokens", answer.completionTokens());
    return new ModelResponse(body.toString(), answer.promptTokens(), answer.completionTokens());
  }

  private static String system(JsonNode system) {
    if (system == null || system.isNull()) {
      return "";
    }
    if (system.isTextual()) {
      return system.textValue();
    }
    if (!system.isArray()) {
      throw new InvalidModelInputException(
          "modelInput.system must be a string or an array of text blocks");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < system.size(); i++) {
      String where = "modelInput.system[" + i + "]";
      JsonNode block = Members.object(system.get(i), where);
      String type = block.path("type").asText("");
      if (!type.equals("text")) {
        throw new UntranslatableInputException(where, "a system block of type " + type);
      }
      text.append(text.length() == 0 ? "" : "\n\n")
          .append(Members.requiredText(block, "text", where));
    }
    return text.toString();
  }

  private static ContentParts content(JsonNode content, String where) {
    ContentParts parts = new ContentParts();
    if (content != null && content.isTextual()) {
      parts.text(content.textValue());
      return parts;
    }
    if (content == null || !content.isArray()) {
      throw new InvalidModelInputException(
          where + " must be a string or an array of content blocks");
    }
    for (int i = 0; i < content.size(); i++) {
      String at = where + "[" + i + "]";
      JsonNode block = Members.object(content.get(i), at);
      String type = block.path("type").asText("");
      switch (type) {
        case "text" -> parts.text(Members.requiredText(block, "text", at));
        case "image" -> image(block.path("source"), at + ".source", parts);
        default -> throw new UntranslatableInputException(at, "a content block of type " + type);
      }
    }
    return parts;
  }

  private static void image(JsonNode source, String where, ContentParts parts) {
    switch (source.path("type").asText("")) {
      case "base64" ->
          parts.image(
              Members.requiredText(source, "media_type", where),
              Members.requiredText(source, "data", where));
      case "url" -> parts.imageUrl(Members.requiredText(source, "url", where));
      default ->
          throw new UntranslatableInputException(
              where, "an image source of type " + source.path("type").asText(""));
    }
  }
}
