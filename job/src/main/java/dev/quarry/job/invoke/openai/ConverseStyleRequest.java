package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import java.util.Set;

/**
 * The request half shared by Converse and Amazon Nova, whose bodies have the same conversation:
 * {@code system} blocks, {@code messages} of content blocks, and an {@code inferenceConfig}.
 */
final class ConverseStyleRequest {
  private ConverseStyleRequest() {}

  /** Adds {@code system} and {@code messages} of {@code input} to {@code chat}. */
  static void conversation(JsonNode input, ChatRequest chat) {
    chat.system(ConverseBlocks.systemText(input.get("system"), "modelInput.system"));
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
      ContentParts parts = new ContentParts();
      ConverseBlocks.addTo(message.get("content"), where + ".content", parts);
      if (!parts.isEmpty()) {
        chat.message(role, parts);
      }
    }
  }

  /**
   * Adds {@code inferenceConfig}: {@code maxTokens} (or Nova's {@code max_new_tokens}), {@code
   * temperature}, {@code topP} (or {@code top_p}), {@code stopSequences}; {@code topK}, which chat
   * completions lacks, is left out when {@code leftOut} says so.
   */
  static void inference(JsonNode config, ChatRequest chat, Set<String> leftOut) {
    if (config == null || config.isNull()) {
      return;
    }
    String where = "modelInput.inferenceConfig";
    Members.object(config, where);
    Members.onlyKnown(
        config,
        where,
        Set.of("maxTokens", "max_new_tokens", "temperature", "topP", "top_p", "stopSequences"),
        leftOut);
    chat.maxTokens(Members.first(config, "maxTokens", "max_new_tokens"), where + ".maxTokens");
    chat.temperature(config.get("temperature"), where + ".temperature");
    chat.topP(Members.first(config, "topP", "top_p"), where + ".topP");
    chat.stop(config.get("stopSequences"), where + ".stopSequences");
  }

  /** Converse's and Nova's {@code stopReason} for the server's finish reason. */
  static String stopReason(ChatCompletion answer) {
    if (answer.hitTokenLimit()) {
      return "max_tokens";
    }
    return answer.filtered() ? "content_filtered" : "end_turn";
  }
}
