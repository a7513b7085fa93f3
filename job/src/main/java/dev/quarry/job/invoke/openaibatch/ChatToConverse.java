package dev.quarry.job.invoke.openaibatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat-completions request body as a Converse request: {@code system} and {@code developer}
 * messages become {@code system} blocks, user and assistant turns become Converse messages (turns
 * of one role in a row are joined, as Converse wants them alternating), text parts and inline
 * images ({@code data:} URLs) become content blocks, and {@code max_tokens} (or {@code
 * max_completion_tokens}), {@code temperature}, {@code top_p} and {@code stop} become {@code
 * inferenceConfig}.
 *
 * <p>Members that change nothing in the answer ({@code user}, {@code metadata}, {@code store}, …)
 * are left out. What Converse has no equivalent for (tools, {@code response_format}, {@code seed},
 * penalties, images by URL, audio, tool turns) is refused with a 400 naming it, so no record gets a
 * quietly different answer.
 */
final class ChatToConverse {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> TRANSLATED =
      Set.of(
          "model",
          "messages",
          "max_tokens",
          "max_completion_tokens",
          "temperature",
          "top_p",
          "stop",
          "n",
          "stream",
          "logprobs");
  private static final Set<String> LEFT_OUT =
      Set.of(
          "user",
          "metadata",
          "store",
          "service_tier",
          "prompt_cache_key",
          "safety_identifier",
          "parallel_tool_calls",
          "stream_options");
  private static final Pattern DATA_URL =
      Pattern.compile("data:image/(png|jpeg|jpg|gif|webp);base64,(.+)", Pattern.DOTALL);

  private ChatToConverse() {}

  /** The Converse body for a chat-completions {@code body}; a 400 when it cannot be one. */
  static ObjectNode request(JsonNode body) {
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!TRANSLATED.contains(name) && !LEFT_OUT.contains(name)) {
                throw untranslatable("body." + name, "the member " + name);
              }
            });
    requireAtMost(body.get("n"), 1, "body.n", "one choice (n = 1)");
    if (body.path("stream").asBoolean(false)) {
      throw new InvalidModelInputException("body.stream: a batch request cannot stream");
    }
    if (body.path("logprobs").asBoolean(false)) {
      throw untranslatable("body.logprobs", "log probabilities");
    }
    ObjectNode converse = NODES.objectNode();
    ArrayNode system = NODES.arrayNode();
    ArrayNode messages = converse.putArray("messages");
    JsonNode chat = body.get("messages");
    if (chat == null || !chat.isArray() || chat.isEmpty()) {
      throw new InvalidModelInputException("body.messages must be a non-empty array");
    }
    for (int i = 0; i < chat.size(); i++) {
      String where = "body.messages[" + i + "]";
      JsonNode message = chat.get(i);
      if (!message.isObject()) {
        throw new InvalidModelInputException(where + " must be an object");
      }
      String role = message.path("role").asText("");
      switch (role) {
        case "system", "developer" -> addText(message.get("content"), where + ".content", system);
        case "user", "assistant" -> {
          if (message.hasNonNull("tool_calls") || message.hasNonNull("function_call")) {
            throw untranslatable(where + ".tool_calls", "tool calls");
          }
          ArrayNode content = NODES.arrayNode();
          addContent(message.get("content"), where + ".content", role, content);
          if (!content.isEmpty()) {
            append(messages, role, content);
          }
        }
        case "tool", "function" -> throw untranslatable(where, "a message of role " + role);
        default ->
            throw new InvalidModelInputException(
                where + ".role must be system, developer, user or assistant");
      }
    }
    if (messages.isEmpty()) {
      throw new InvalidModelInputException("body.messages holds no user or assistant message");
    }
    if (!system.isEmpty()) {
      converse.set("system", system);
    }
    ObjectNode inference = NODES.objectNode();
    JsonNode maxTokens = first(body, "max_completion_tokens", "max_tokens");
    if (maxTokens != null) {
      if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1) {
        throw new InvalidModelInputException("body.max_tokens must be a positive integer");
      }
      inference.put("maxTokens", maxTokens.asInt());
    }
    number(body.get("temperature"), "body.temperature", "temperature", inference);
    number(body.get("top_p"), "body.top_p", "topP", inference);
    JsonNode stop = body.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode sequences = inference.putArray("stopSequences");
      if (stop.isTextual()) {
        sequences.add(stop.textValue());
      } else if (stop.isArray()) {
        for (JsonNode s : stop) {
          if (!s.isTextual()) {
            throw new InvalidModelInputException("body.stop must be a string or strings");
          }
          sequences.add(s);
        }
      } else {
        throw new InvalidModelInputException("body.stop must be a string or strings");
      }
      if (sequences.isEmpty()) {
        inference.remove("stopSequences");
      }
    }
    if (!inference.isEmpty()) {
      converse.set("inferenceConfig", inference);
    }
    return converse;
  }

  /** Appends a turn, joined to the last one when it has the same role. */
  private static void append(ArrayNode messages, String role, ArrayNode content) {
    JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    if (last != null && role.equals(last.path("role").asText())) {
      ((ArrayNode) last.get("content")).addAll(content);
      return;
    }
    ObjectNode message = messages.addObject();
    message.put("role", role);
    message.set("content", content);
  }

  private static void addText(JsonNode content, String where, ArrayNode blocks) {
    if (content == null || content.isNull()) {
      throw new InvalidModelInputException(where + " is required");
    }
    if (content.isTextual()) {
      if (!content.textValue().isEmpty()) {
        blocks.addObject().put("text", content.textValue());
      }
      return;
    }
    if (!content.isArray()) {
      throw new InvalidModelInputException(where + " must be a string or an array of parts");
    }
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
        throw new InvalidModelInputException(where + "[" + i + "] must be a text part");
      }
      blocks.addObject().put("text", part.get("text").textValue());
    }
  }

  private static void addContent(JsonNode content, String where, String role, ArrayNode blocks) {
    if (content == null || content.isNull()) {
      if (role.equals("assistant")) {
        return;
      }
      throw new InvalidModelInputException(where + " is required");
    }
    if (content.isTextual()) {
      if (!content.textValue().isEmpty()) {
        blocks.addObject().put("text", content.textValue());
      }
      return;
    }
    if (!content.isArray()) {
      throw new InvalidModelInputException(where + " must be a string or an array of parts");
    }
    for (int i = 0; i < content.size(); i++) {
      String at = where + "[" + i + "]";
      JsonNode part = content.get(i);
      String type = part.path("type").asText("");
      switch (type) {
        case "text" -> {
          if (!part.path("text").isTextual()) {
            throw new InvalidModelInputException(at + ".text must be a string");
          }
          blocks.addObject().put("text", part.get("text").textValue());
        }
        case "image_url" -> image(part.path("image_url").path("url"), at + ".image_url", blocks);
        case "refusal" -> {} // the assistant's refusal text carries nothing for the model
        default -> throw untranslatable(at, "a content part of type " + type);
      }
    }
  }

  private static void image(JsonNode url, String where, ArrayNode blocks) {
    Matcher m = url.isTextual() ? DATA_URL.matcher(url.textValue()) : null;
    if (m == null || !m.matches()) {
      throw untranslatable(
          where, "an image by URL (Bedrock takes images inline: a data:image/…;base64 URL)");
    }
    String format = m.group(1).toLowerCase(Locale.ROOT);
    ObjectNode image = blocks.addObject().putObject("image");
    image.put("format", format.equals("jpg") ? "jpeg" : format);
    image.putObject("source").put("bytes", m.group(2));
  }

  private static void number(JsonNode value, String where, String name, ObjectNode out) {
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber()) {
      throw new InvalidModelInputException(where + " must be a number");
    }
    out.set(name, value);
  }

  private static void requireAtMost(JsonNode value, int max, String where, String what) {
    if (value != null && !value.isNull() && (!value.canConvertToInt() || value.asInt() > max)) {
      throw new InvalidModelInputException(where + ": Bedrock Converse answers " + what);
    }
  }

  private static JsonNode first(JsonNode body, String... names) {
    for (String name : names) {
      JsonNode value = body.get(name);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }

  static InvalidModelInputException untranslatable(String where, String what) {
    return new InvalidModelInputException(
        where
            + ": "
            + what
            + " cannot be sent to a Bedrock model (Converse has no equivalent); route this"
            + " model to an OpenAI-compatible server, or remove it");
  }
}
