package dev.quarry.emulator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.family.ModelRequest;
import dev.quarry.emulator.wire.RequestIds;
import dev.quarry.emulator.wire.ServiceError;
import java.time.Instant;
import java.util.Set;

/**
 * {@code POST /v1/chat/completions}: validates the request as OpenAI does (an unknown member is
 * {@code Unrecognized request argument supplied}) and answers a {@code chat.completion} object with
 * one choice and {@code usage}. Streaming and {@code n} above 1 are refused; any bearer key is
 * accepted.
 */
public final class ChatCompletionsApi {
  /** Max output tokens when a request sets none. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private static final Set<String> MEMBERS =
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
          "stream_options",
          "seed",
          "presence_penalty",
          "frequency_penalty",
          "logit_bias",
          "logprobs",
          "top_logprobs",
          "user",
          "response_format",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "metadata",
          "store",
          "service_tier",
          "reasoning_effort",
          "modalities",
          "prediction",
          "audio",
          "web_search_options",
          "verbosity",
          "prompt_cache_key",
          "safety_identifier");
  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private ChatCompletionsApi() {}

  /** The model a body names; a 400 when it names none. */
  public static String model(JsonNode body) {
    OpenAiRequests.object(body);
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.textValue().isEmpty()) {
      throw OpenAiWire.invalid("model", "you must provide a model parameter");
    }
    return model.textValue();
  }

  /**
   * Validates a chat-completions body and reduces it; a 400 {@link ServiceError} when it is
   * invalid.
   */
  public static ModelRequest parse(JsonNode body) {
    String model = model(body);
    OpenAiRequests.onlyKnown(body, MEMBERS);
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw OpenAiWire.invalid("messages", "Missing required parameter: 'messages'.");
    }
    long characters = 0;
    String lastUser = "";
    for (int i = 0; i < messages.size(); i++) {
      String param = "messages[" + i + "]";
      JsonNode message = messages.get(i);
      if (!message.isObject()) {
        throw OpenAiWire.invalid(param, "Invalid type for '" + param + "': expected an object.");
      }
      String role = message.path("role").asText("");
      if (!ROLES.contains(role)) {
        throw OpenAiWire.invalid(
            param + ".role",
            "Invalid value: '"
                + role
                + "'. Supported values are: "
                + "'system', 'developer', 'user', 'assistant', 'tool' and 'function'.");
      }
      String text = text(message.get("content"), param + ".content", role);
      characters += text.length();
      if (role.equals("user")) {
        lastUser = text;
      }
    }
    Integer maxTokens = OpenAiRequests.positiveInt(body, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = OpenAiRequests.positiveInt(body, "max_tokens");
    }
    OpenAiRequests.number(body, "temperature", 0, 2);
    OpenAiRequests.number(body, "top_p", 0, 1);
    JsonNode stop = body.get("stop");
    if (stop != null && !stop.isNull() && !stop.isTextual() && !stop.isArray()) {
      throw OpenAiWire.invalid(
          "stop", "Invalid type for 'stop': expected a string or an array of strings.");
    }
    Integer n = OpenAiRequests.positiveInt(body, "n");
    if (n != null && n > 1) {
      throw OpenAiWire.invalid("n", "The emulator answers one choice; n must be 1.");
    }
    if (body.path("stream").asBoolean(false)) {
      throw OpenAiWire.invalid("stream", "Streaming is not emulated; send stream false.");
    }
    long created = Instant.now().getEpochSecond();
    return ModelRequest.text(
        lastUser,
        characters,
        maxTokens,
        DEFAULT_MAX_TOKENS,
        (json, c) -> {
          json.writeStartObject();
          json.writeStringField("id", RequestIds.newBase62Id("chatcmpl-", 29));
          json.writeStringField("object", "chat.completion");
          json.writeNumberField("created", created);
          json.writeStringField("model", model);
          json.writeArrayFieldStart("choices");
          json.writeStartObject();
          json.writeNumberField("index", 0);
          json.writeObjectFieldStart("message");
          json.writeStringField("role", "assistant");
          json.writeStringField("content", c.text());
          json.writeNullField("refusal");
          json.writeEndObject();
          json.writeNullField("logprobs");
          json.writeStringField("finish_reason", c.hitMaxTokens() ? "length" : "stop");
          json.writeEndObject();
          json.writeEndArray();
          json.writeObjectFieldStart("usage");
          json.writeNumberField("prompt_tokens", c.inputTokens());
          json.writeNumberField("completion_tokens", c.outputTokens());
          json.writeNumberField("total_tokens", c.inputTokens() + c.outputTokens());
          json.writeEndObject();
          json.writeNullField("system_fingerprint");
          json.writeEndObject();
        });
  }

  // The text of a message: a string, or the text parts of an array (images, audio and files carry
  // none).
  private static String text(JsonNode content, String param, String role) {
    if (content == null || content.isNull()) {
      if (role.equals("assistant")) {
        return ""; // an assistant turn of tool calls only
      }
      throw OpenAiWire.invalid(param, "Missing required parameter: '" + param + "'.");
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (!content.isArray()) {
      throw OpenAiWire.invalid(
          param, "Invalid type for '" + param + "': expected a string or an array.");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String type = part.path("type").asText("");
      switch (type) {
        case "text" -> {
          if (!part.path("text").isTextual()) {
            throw OpenAiWire.invalid(
                param + "[" + i + "].text",
                "Missing required parameter: '" + param + "[" + i + "].text'.");
          }
          text.append(text.length() == 0 ? "" : "\n").append(part.get("text").textValue());
        }
        case "image_url" -> {
          if (!part.path("image_url").path("url").isTextual()) {
            throw OpenAiWire.invalid(
                param + "[" + i + "].image_url.url",
                "Missing required parameter:" + " '" + param + "[" + i + "].image_url.url'.");
          }
        }
        case "input_audio", "file", "refusal" -> {}
        default ->
            throw OpenAiWire.invalid(
                param + "[" + i + "].type",
                "Invalid value: '"
                    + type
                    + "'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal' and 'file'.");
      }
    }
    return text.toString();
  }
}
