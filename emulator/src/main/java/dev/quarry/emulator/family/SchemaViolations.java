package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.wire.ServiceError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Checks a request body against a family's schema and collects every violation, then reports them
 * in one ValidationException worded the way Bedrock words them: JSON-schema style ({@code
 * #/max_tokens: expected type: Integer, found: String}) for model-native InvokeModel bodies, and
 * AWS constraint style ({@code Value null at 'messages' failed to satisfy constraint: Member must
 * not be null}) for Converse. Paths are given in the JSON-pointer form {@code #/messages/0/role}
 * and translated for Converse.
 *
 * <p>Each check returns the value when it is present and well-typed, otherwise null (recording
 * why), so a family can walk the whole body and still report all problems at once.
 */
public final class SchemaViolations {
  /** How messages are worded. */
  public enum Style {
    /** Model-native bodies, validated by Bedrock's JSON-schema validator. */
    INVOKE,
    /** The Converse API, validated against the service model. */
    CONVERSE
  }

  private final Style style;
  private final List<String> violations = new ArrayList<>(2);

  public SchemaViolations(Style style) {
    this.style = style;
  }

  /** The body as an object, or null (recorded) if it is another JSON type. */
  public ObjectNode root(JsonNode body) {
    return object(body, "#");
  }

  /** Records every key of {@code obj} outside {@code allowed}. */
  public void allowOnly(ObjectNode obj, String path, Set<String> allowed) {
    if (obj == null) {
      return;
    }
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        extraneous(path, key);
      }
    }
  }

  private void extraneous(String path, String key) {
    add(
        style == Style.INVOKE
            ? path + ": extraneous key [" + key + "] is not permitted"
            : "Value at '"
                + coral(child(path, key))
                + "' failed to satisfy constraint: Extra inputs are "
                + "not permitted");
  }

  /** Records every key of {@code obj} inside {@code forbidden}; other keys are let through. */
  public void forbid(ObjectNode obj, String path, Set<String> forbidden) {
    if (obj == null) {
      return;
    }
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (forbidden.contains(key)) {
        extraneous(path, key);
      }
    }
  }

  /**
   * The member {@code key} of {@code obj}, recording its absence; null if {@code obj} itself is
   * null.
   */
  public JsonNode required(ObjectNode obj, String path, String key) {
    if (obj == null) {
      return null;
    }
    JsonNode value = obj.get(key);
    if (value == null) {
      add(
          style == Style.INVOKE
              ? path + ": required key [" + key + "] not found"
              : "Value null at '"
                  + coral(child(path, key))
                  + "' failed to satisfy constraint: Member must not "
                  + "be null");
    }
    return value;
  }

  /**
   * The member {@code key} of {@code obj} if present (JSON null counts as present, and then as a
   * type error).
   */
  public JsonNode optional(ObjectNode obj, String key) {
    return obj == null ? null : obj.get(key);
  }

  public ObjectNode object(JsonNode node, String path) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      typeMismatch(path, "JSONObject", node);
      return null;
    }
    return (ObjectNode) node;
  }

  /** An array with at least {@code minItems} elements. */
  public ArrayNode array(JsonNode node, String path, int minItems) {
    if (node == null) {
      return null;
    }
    if (!node.isArray()) {
      typeMismatch(path, "JSONArray", node);
      return null;
    }
    if (node.size() < minItems) {
      add(
          style == Style.INVOKE
              ? path + ": expected minimum item count: " + minItems + ", found: " + node.size()
              : "Value '"
                  + node
                  + "' at '"
                  + coral(path)
                  + "' failed to satisfy constraint: Member must have "
                  + "length greater than or equal to "
                  + minItems);
    }
    return (ArrayNode) node;
  }

  public String string(JsonNode node, String path) {
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      typeMismatch(path, "String", node);
      return null;
    }
    return node.textValue();
  }

  /** A string of at least {@code minLength} characters. */
  public String string(JsonNode node, String path, int minLength) {
    String value = string(node, path);
    if (value != null && value.length() < minLength) {
      add(
          style == Style.INVOKE
              ? path + ": expected minLength: " + minLength + ", actual: " + value.length()
              : "Value '"
                  + value
                  + "' at '"
                  + coral(path)
                  + "' failed to satisfy constraint: Member must have "
                  + "length greater than or equal to "
                  + minLength);
    }
    return value;
  }

  /** An integer not below {@code min}. */
  public Integer integer(JsonNode node, String path, long min) {
    if (node == null) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      typeMismatch(path, "Integer", node);
      return null;
    }
    int value = node.intValue();
    if (value < min) {
      add(
          style == Style.INVOKE
              ? path + ": " + value + " is not greater or equal to " + min
              : "Value '"
                  + value
                  + "' at '"
                  + coral(path)
                  + "' failed to satisfy constraint: Member must have "
                  + "value greater than or equal to "
                  + min);
      return null;
    }
    return value;
  }

  /** A number within [{@code min}, {@code max}]. */
  public Double number(JsonNode node, String path, double min, double max) {
    if (node == null) {
      return null;
    }
    if (!node.isNumber()) {
      typeMismatch(path, "Number", node);
      return null;
    }
    double value = node.doubleValue();
    if (value < min) {
      add(
          style == Style.INVOKE
              ? path + ": " + node + " is not greater or equal to " + format(min)
              : "Value '"
                  + node
                  + "' at '"
                  + coral(path)
                  + "' failed to satisfy constraint: Member must have "
                  + "value greater than or equal to "
                  + format(min));
      return null;
    }
    if (value > max) {
      add(
          style == Style.INVOKE
              ? path + ": " + node + " is not less or equal to " + format(max)
              : "Value '"
                  + node
                  + "' at '"
                  + coral(path)
                  + "' failed to satisfy constraint: Member must have "
                  + "value less than or equal to "
                  + format(max));
      return null;
    }
    return value;
  }

  public Boolean bool(JsonNode node, String path) {
    if (node == null) {
      return null;
    }
    if (!node.isBoolean()) {
      typeMismatch(path, "Boolean", node);
      return null;
    }
    return node.booleanValue();
  }

  /** A string that must be one of {@code allowed}. */
  public String oneOf(JsonNode node, String path, List<String> allowed) {
    String value = string(node, path);
    if (value != null && !allowed.contains(value)) {
      add(
          style == Style.INVOKE
              ? path + ": " + value + " is not a valid enum value"
              : "Value '"
                  + value
                  + "' at '"
                  + coral(path)
                  + "' failed to satisfy constraint: Member must "
                  + "satisfy enum value set: "
                  + allowed);
      return null;
    }
    return value;
  }

  /** An integer that must be one of {@code allowed}. */
  public Integer oneOfIntegers(JsonNode node, String path, List<Integer> allowed) {
    Integer value = integer(node, path, Integer.MIN_VALUE);
    if (value != null && !allowed.contains(value)) {
      add(
          style == Style.INVOKE
              ? path + ": " + value + " is not a valid enum value"
              : "Value '"
                  + value
                  + "' at '"
                  + coral(path)
                  + "' failed to satisfy constraint: Member must "
                  + "satisfy enum value set: "
                  + allowed);
      return null;
    }
    return value;
  }

  /** An array of strings. */
  public void stringArray(JsonNode node, String path) {
    ArrayNode array = array(node, path, 0);
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        string(array.get(i), index(path, i));
      }
    }
  }

  /** Records a violation that the typed checks do not cover, e.g. "string or array" unions. */
  public void typeMismatch(String path, String expected, JsonNode found) {
    add(
        style == Style.INVOKE
            ? path + ": expected type: " + expected + ", found: " + typeName(found)
            : "Value at '"
                + coral(path)
                + "' failed to satisfy constraint: Member must be of type "
                + expected);
  }

  /** True when nothing was recorded so far. */
  public boolean isEmpty() {
    return violations.isEmpty();
  }

  /** Throws the ValidationException describing every recorded violation, if any. */
  public void throwIfAny() {
    if (violations.isEmpty()) {
      return;
    }
    String message;
    if (style == Style.INVOKE) {
      String detail =
          violations.size() == 1
              ? violations.get(0)
              : violations.size()
                  + " schema violations found ("
                  + String.join("; ", violations)
                  + ")";
      message =
          "Malformed input request: " + detail + ", please reformat your input and try again.";
    } else {
      message =
          violations.size()
              + (violations.size() == 1 ? " validation error" : " validation errors")
              + " detected: "
              + String.join("; ", violations);
    }
    throw ServiceError.validation(message);
  }

  /** Path of a member of the object at {@code path}. */
  public static String child(String path, String key) {
    return path + "/" + key;
  }

  /** Path of an element of the array at {@code path}. */
  public static String index(String path, int i) {
    return path + "/" + i;
  }

  private void add(String violation) {
    violations.add(violation);
  }

  // "#/messages/0/role" -> "messages.1.member.role": AWS validation messages name list elements
  // 1-based.
  private static String coral(String path) {
    String[] parts = path.split("/");
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (part.equals("#")) {
        continue;
      }
      if (out.length() > 0) {
        out.append('.');
      }
      if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) {
        out.append(Integer.parseInt(part) + 1).append(".member");
      } else {
        out.append(part);
      }
    }
    return out.toString();
  }

  private static String typeName(JsonNode node) {
    if (node.isTextual()) {
      return "String";
    }
    if (node.isIntegralNumber()) {
      return "Integer";
    }
    if (node.isNumber()) {
      return "BigDecimal";
    }
    if (node.isBoolean()) {
      return "Boolean";
    }
    if (node.isArray()) {
      return "JSONArray";
    }
    if (node.isObject()) {
      return "JSONObject";
    }
    return "Null";
  }

  private static String format(double bound) {
    return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
  }
}
