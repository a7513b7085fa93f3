package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Content blocks in the Converse style (Converse and Amazon Nova): a block is an object whose one
 * member names its type. {@code text} and inline {@code image} blocks translate; {@code
 * cachePoint}, a hint, is left out; every other type (document, video, toolUse, toolResult,
 * guardContent, reasoningContent, …) is untranslatable.
 */
final class ConverseBlocks {
  private ConverseBlocks() {}

  /** Adds the blocks of {@code content} (an array) at {@code where} to {@code out}. */
  static void addTo(JsonNode content, String where, ContentParts out) {
    if (content == null || !content.isArray()) {
      throw new InvalidModelInputException(where + " must be an array of content blocks");
    }
    for (int i = 0; i < content.size(); i++) {
      add(content.get(i), where + "[" + i + "]", out);
    }
  }

  /**
   * The text of system blocks ({@code text}, {@code cachePoint} left out), joined by blank lines.
   */
  static String systemText(JsonNode system, String where) {
    if (system == null || system.isNull()) {
      return "";
    }
    if (!system.isArray()) {
      throw new InvalidModelInputException(where + " must be an array");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      String type = typeOf(block, where + "[" + i + "]");
      if (type.equals("text")) {
        text.append(text.length() == 0 ? "" : "\n\n").append(textOf(block, where + "[" + i + "]"));
      } else if (!type.equals("cachePoint")) {
        throw new UntranslatableInputException(
            where + "[" + i + "]", "a system block of type " + type);
      }
    }
    return text.toString();
  }

  private static void add(JsonNode block, String where, ContentParts out) {
    String type = typeOf(block, where);
    switch (type) {
      case "text" -> out.text(textOf(block, where));
      case "image" -> image(block.get("image"), where + ".image", out);
      case "cachePoint" -> {} // a pricing hint: the answer is the same without it
      default -> throw new UntranslatableInputException(where, "a content block of type " + type);
    }
  }

  private static void image(JsonNode image, String where, ContentParts out) {
    String format = image.path("format").asText("").toLowerCase(Locale.ROOT);
    if (!format.matches("png|jpeg|jpg|gif|webp")) {
      throw new InvalidModelInputException(where + ".format must be png, jpeg, gif or webp");
    }
    JsonNode bytes = image.path("source").path("bytes");
    if (!bytes.isTextual()) {
      throw new UntranslatableInputException(
          where + ".source", "an image not given inline as bytes (s3Location)");
    }
    out.image("image/" + (format.equals("jpg") ? "jpeg" : format), bytes.textValue());
  }

  private static String typeOf(JsonNode block, String where) {
    if (block == null || !block.isObject() || block.isEmpty()) {
      throw new InvalidModelInputException(where + " must be an object naming its block type");
    }
    Iterator<Map.Entry<String, JsonNode>> members = block.fields();
    return members.next().getKey();
  }

  private static String textOf(JsonNode block, String where) {
    JsonNode text = block.get("text");
    if (!text.isTextual()) {
      throw new InvalidModelInputException(where + ".text must be a string");
    }
    return text.textValue();
  }
}
