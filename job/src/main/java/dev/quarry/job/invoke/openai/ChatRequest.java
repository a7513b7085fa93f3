package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.InvalidModelInputException;

/**
 * A chat-completions request body under construction: {@code model}, {@code messages} and the
 * sampling settings every OpenAI-compatible server accepts ({@code max_tokens}, {@code
 * temperature}, {@code top_p}, {@code stop}). {@code max_tokens} rather than {@code
 * max_completion_tokens}: vLLM, Ollama, TGI and LiteLLM all take it.
 */
final class ChatRequest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectNode body = NODES.objectNode();
  private final ArrayNode messages;

  ChatRequest(String model) {
    body.put("model", model);
    messages = body.putArray("messages");
  }

  /** A system message, unless {@code text} is empty. */
  ChatRequest system(String text) {
    if (text != null && !text.isEmpty()) {
      messages.addObject().put("role", "system").put("content", text);
    }
    return this;
  }

  /** A user or assistant message with plain text. */
  ChatRequest message(String role, String text) {
    messages.addObject().put("role", role).put("content", text);
    return this;
  }

  /** A user or assistant message with the parts collected. */
  ChatRequest message(String role, ContentParts parts) {
    messages.addObject().put("role", role).set("content", parts.toContent());
    return this;
  }

  /** {@code max_tokens} from {@code value} at {@code where}, if given. */
  ChatRequest maxTokens(JsonNode value, String where) {
    return integer("max_tokens", value, where);
  }

  ChatRequest temperature(JsonNode value, String where) {
    return number("temperature", value, where);
  }

  ChatRequest topP(JsonNode value, String where) {
    return number("top_p", value, where);
  }

  /** {@code stop} from an array of strings at {@code where}, if given and not empty. */
  ChatRequest stop(JsonNode value, String where) {
    if (value == null || value.isNull()) {
      return this;
    }
    if (!value.isArray()) {
      throw new InvalidModelInputException(where + " must be an array of strings");
    }
    ArrayNode stop = NODES.arrayNode();
    for (JsonNode s : value) {
      if (!s.isTextual()) {
        throw new InvalidModelInputException(where + " must be an array of strings");
      }
      stop.add(s);
    }
    if (!stop.isEmpty()) {
      body.set("stop", stop);
    }
    return this;
  }

  /**
   * Members given as they are (Converse's {@code additionalModelRequestFields}); the server judges
   * them.
   */
  ChatRequest extra(JsonNode fields, String where) {
    if (fields == null || fields.isNull()) {
      return this;
    }
    if (!fields.isObject()) {
      throw new InvalidModelInputException(where + " must be an object");
    }
    fields
        .fields()
        .forEachRemaining(
            f -> {
              if (f.getKey().equals("model") || f.getKey().equals("messages")) {
                throw new InvalidModelInputException(
                    where + "." + f.getKey() + " cannot be overridden");
              }
              body.set(f.getKey(), f.getValue());
            });
    return this;
  }

  UpstreamRequest build() {
    if (messages.isEmpty()) {
      throw new InvalidModelInputException("modelInput holds no message to send");
    }
    return new UpstreamRequest(UpstreamRequest.CHAT_COMPLETIONS, body);
  }

  private ChatRequest integer(String name, JsonNode value, String where) {
    if (value == null || value.isNull()) {
      return this;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
      throw new InvalidModelInputException(where + " must be a positive integer");
    }
    body.put(name, value.asInt());
    return this;
  }

  private ChatRequest number(String name, JsonNode value, String where) {
    if (value == null || value.isNull()) {
      return this;
    }
    if (!value.isNumber()) {
      throw new InvalidModelInputException(where + " must be a number");
    }
    body.set(name, value);
    return this;
  }
}
