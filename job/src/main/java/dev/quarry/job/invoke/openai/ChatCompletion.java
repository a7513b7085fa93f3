package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.job.invoke.MalformedModelResponseException;

/**
 * What a chat-completions answer says, as every family's response needs it: the first choice's
 * text, why it stopped, and the usage.
 *
 * @param id the completion's id, or {@code null}
 * @param model the model the server says answered, or {@code null}
 * @param text the assistant message's text ({@code ""} when the server sent none)
 * @param finishReason {@code stop}, {@code length}, {@code content_filter}, … or {@code null}
 * @param promptTokens input tokens, 0 when the server reports no usage
 * @param completionTokens output tokens, 0 when the server reports no usage
 */
record ChatCompletion(
    String id,
    String model,
    String text,
    String finishReason,
    long promptTokens,
    long completionTokens) {

  /** Reads a chat-completions response body. */
  static ChatCompletion parse(JsonNode body) {
    JsonNode choice = body.path("choices").path(0);
    if (!choice.isObject()) {
      throw new MalformedModelResponseException("The model server's answer has no choices[0]");
    }
    JsonNode message = choice.path("message");
    if (!message.isObject()) {
      throw new MalformedModelResponseException(
          "The model server's answer has no choices[0].message");
    }
    if (message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty()) {
      throw new MalformedModelResponseException(
          "The model server answered with tool calls, which were not asked"
              + " for and which this response body cannot hold");
    }
    JsonNode content = message.path("content");
    String text;
    if (content.isTextual()) {
      text = content.textValue();
    } else if (content.isArray()) {
      StringBuilder joined = new StringBuilder(); // some servers answer with text parts
      content.forEach(part -> joined.append(part.path("text").asText("")));
      text = joined.toString();
    } else {
      text = "";
    }
    return new ChatCompletion(
        textOrNull(body.get("id")),
        textOrNull(body.get("model")),
        text,
        textOrNull(choice.get("finish_reason")),
        tokens(body, "/usage/prompt_tokens"),
        tokens(body, "/usage/completion_tokens"));
  }

  /** Whether generation stopped at the request's token limit. */
  boolean hitTokenLimit() {
    return "length".equals(finishReason);
  }

  /** Whether the server's content filter ended the answer. */
  boolean filtered() {
    return "content_filter".equals(finishReason);
  }

  static long tokens(JsonNode body, String pointer) {
    JsonNode n = body.at(pointer);
    return n.canConvertToLong() ? Math.max(0, n.asLong()) : 0;
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }
}
