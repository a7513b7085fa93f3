package dev.quarry.job.invoke.openaibatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.MalformedModelResponseException;
import java.time.Instant;

/**
 * A Converse response as the {@code chat.completion} object OpenAI answers: one choice with the
 * assistant's text (reasoning blocks left out), a {@code finish_reason} for Converse's {@code
 * stopReason}, and {@code usage} from Converse's token counts.
 */
final class ConverseToChat {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ConverseToChat() {}

  /**
   * @param converse the Converse response body
   * @param model the model the request named
   * @param id the completion's id
   */
  static ObjectNode completion(JsonNode converse, String model, String id, Instant created) {
    JsonNode content = converse.path("output").path("message").path("content");
    if (!content.isArray()) {
      throw new MalformedModelResponseException(
          "The Converse response has no output.message.content");
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if (block.path("text").isTextual()) {
        text.append(block.get("text").textValue());
      }
    }
    long input = tokens(converse, "/usage/inputTokens");
    long output = tokens(converse, "/usage/outputTokens");
    ObjectNode chat = NODES.objectNode();
    chat.put("id", id);
    chat.put("object", "chat.completion");
    chat.put("created", created.getEpochSecond());
    chat.put("model", model);
    ObjectNode choice = chat.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", text.toString());
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(converse.path("stopReason").asText("")));
    ObjectNode usage = chat.putObject("usage");
    usage.put("prompt_tokens", input);
    usage.put("completion_tokens", output);
    usage.put("total_tokens", input + output);
    return chat;
  }

  /** OpenAI's {@code finish_reason} for a Converse {@code stopReason}. */
  static String finishReason(String stopReason) {
    return switch (stopReason) {
      case "max_tokens" -> "length";
      case "content_filtered", "guardrail_intervened" -> "content_filter";
      case "tool_use" -> "tool_calls";
      default -> "stop";
    };
  }

  static long tokens(JsonNode body, String pointer) {
    JsonNode n = body.at(pointer);
    return n.canConvertToLong() ? Math.max(0, n.asLong()) : 0;
  }
}
