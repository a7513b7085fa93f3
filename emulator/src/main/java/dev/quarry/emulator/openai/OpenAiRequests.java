package dev.quarry.emulator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Checks on OpenAI request members, worded as OpenAI words them. */
final class OpenAiRequests {
  private OpenAiRequests() {}

  static void object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw OpenAiWire.invalid(null, "The request body must be a JSON object.");
    }
  }

  static void onlyKnown(JsonNode body, Set<String> members) {
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!members.contains(name)) {
                throw OpenAiWire.invalid(name, "Unrecognized request argument supplied: " + name);
              }
            });
  }

  static Integer positiveInt(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
      throw OpenAiWire.invalid(
          name, "Invalid '" + name + "': expected an integer of at least 1, got " + value + ".");
    }
    return value.asInt();
  }

  static void number(JsonNode body, String name, double min, double max) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
      throw OpenAiWire.invalid(
          name,
          "Invalid '"
              + name
              + "': expected a number from "
              + min
              + " to "
              + max
              + ", got "
              + value
              + ".");
    }
  }
}
