package dev.quarry.job.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * The checks a Converse record's {@code modelInput} must pass before it is sent, as Bedrock's batch
 * Converse makes them: {@code toolConfig} and a {@code modelId} inside the record are refused, and
 * the conversation must have the shape every Converse request has (messages with a user or
 * assistant role and content blocks, base64 where bytes are given). Everything else, members and
 * block types this code has never heard of included, goes to the model untouched, so what Bedrock
 * adds later still reaches it.
 */
public final class BatchConverseRules {
  private BatchConverseRules() {}

  /** Throws {@link InvalidModelInputException} naming the first problem, if any. */
  public static void check(JsonNode input) {
    if (input == null || !input.isObject()) {
      throw new InvalidModelInputException("modelInput must be a JSON object");
    }
    if (input.has("toolConfig")) {
      throw new InvalidModelInputException("toolConfig is not supported in batch Converse");
    }
    if (input.has("modelId")) {
      // The job's model is the one the record runs on; Bedrock words this like any other unknown
      // member.
      throw new InvalidModelInputException("modelInput.modelId: Extra inputs are not permitted");
    }
    JsonNode messages = input.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new InvalidModelInputException("modelInput.messages must be a non-empty array");
    }
    for (int i = 0; i < messages.size(); i++) {
      message(messages.get(i), "modelInput.messages[" + i + "]");
    }
    JsonNode system = input.get("system");
    if (system != null) {
      if (!system.isArray()) {
        throw new InvalidModelInputException("modelInput.system must be an array");
      }
      for (int i = 0; i < system.size(); i++) {
        block(system.get(i), "modelInput.system[" + i + "]");
      }
    }
  }

  private static void message(JsonNode message, String where) {
    String role = message.path("role").asText("");
    if (!"user".equals(role) && !"assistant".equals(role)) {
      throw new InvalidModelInputException(where + ".role must be user or assistant");
    }
    JsonNode content = message.get("content");
    if (content == null || !content.isArray() || content.isEmpty()) {
      throw new InvalidModelInputException(where + ".content must be a non-empty array");
    }
    for (int i = 0; i < content.size(); i++) {
      block(content.get(i), where + ".content[" + i + "]");
    }
  }

  // A content block is a union: one member naming its type. Only what every type shares is checked.
  private static void block(JsonNode block, String where) {
    if (!block.isObject() || block.isEmpty()) {
      throw new InvalidModelInputException(where + " must be an object naming its block type");
    }
    JsonNode text = block.get("text");
    if (text != null && !text.isTextual()) {
      throw new InvalidModelInputException(where + ".text must be a string");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      JsonNode bytes = member.getValue().path("source").path("bytes");
      if (!bytes.isMissingNode()) {
        base64(bytes, where + "." + member.getKey() + ".source.bytes");
      }
    }
  }

  private static void base64(JsonNode value, String where) {
    try {
      if (!value.isTextual()) {
        throw new IllegalArgumentException("not a string");
      }
      Base64.getDecoder().decode(value.textValue());
    } catch (IllegalArgumentException e) {
      throw new InvalidModelInputException(where + " must be base64");
    }
  }
}
