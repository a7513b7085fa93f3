package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a batch's {@code errors.data}, as OpenAI reports why a batch failed.
 *
 * @param code what kind of error ({@code invalid_json_line}, {@code duplicate_custom_id}, …)
 * @param message what is wrong, for people
 * @param param the member at fault, or {@code null}
 * @param line the input line (from 1), or {@code null} when the error is not one line's
 */
record BatchError(String code, String message, String param, Long line) {
  BatchError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** An error of the whole batch. */
  static BatchError of(String code, String message) {
    return new BatchError(code, message, null, null);
  }

  ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("code", code);
    o.put("message", message);
    if (param == null) {
      o.putNull("param");
    } else {
      o.put("param", param);
    }
    if (line == null) {
      o.putNull("line");
    } else {
      o.put("line", line);
    }
    return o;
  }

  /** The {@code errors.data} array of these errors. */
  static String toJson(List<BatchError> errors) {
    ArrayNode data = JsonNodeFactory.instance.arrayNode();
    errors.forEach(e -> data.add(e.toJson()));
    return data.toString();
  }

  /** The errors a stored {@code errors.data} array holds. */
  static List<BatchError> fromJson(JsonNode data) {
    List<BatchError> out = new ArrayList<>();
    for (JsonNode e : data) {
      out.add(
          new BatchError(
              e.path("code").asText(),
              e.path("message").asText(),
              e.path("param").isTextual() ? e.get("param").asText() : null,
              e.path("line").canConvertToLong() ? e.get("line").asLong() : null));
    }
    return out;
  }
}
