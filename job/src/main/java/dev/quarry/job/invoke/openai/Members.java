package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import java.util.Set;

/** Checks on the members of a body being translated: what is known, what is required. */
final class Members {
  private Members() {}

  /** The object at {@code where}, or a 400 naming it. */
  static JsonNode object(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new InvalidModelInputException(where + " must be a JSON object");
    }
    return node;
  }

  /**
   * Every member of {@code object} must be translated or knowingly left out; any other is a feature
   * the upstream cannot be asked for, so the record says so rather than getting a quietly different
   * answer.
   */
  static void onlyKnown(
      JsonNode object, String where, Set<String> translated, Set<String> leftOut) {
    object
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!translated.contains(name) && !leftOut.contains(name)) {
                throw new UntranslatableInputException(where + "." + name, "the member " + name);
              }
            });
  }

  /** The string member {@code name}, required. */
  static String requiredText(JsonNode object, String name, String where) {
    JsonNode value = object.get(name);
    if (value == null || !value.isTextual()) {
      throw new InvalidModelInputException(
          where + "." + name + " is required and must be a string");
    }
    return value.textValue();
  }

  /** The first of {@code names} present in {@code object}, or {@code null}. */
  static JsonNode first(JsonNode object, String... names) {
    for (String name : names) {
      JsonNode value = object.get(name);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }
}
