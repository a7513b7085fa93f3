package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Content blocks in the Converse/Nova shape, {@code [{"text": "…"}, {"image": {…}}, …]}: each block
 * is an object with one member naming its type. Shared by the Nova InvokeModel body and the
 * Converse API.
 */
final class ContentBlocks {
  /** Block types a message may carry. */
  static final Set<String> MESSAGE_BLOCK_TYPES =
      Set.of(
          "text",
          "image",
          "document",
          "video",
          "audio",
          "toolUse",
          "toolResult",
          "guardContent",
          "cachePoint",
          "reasoningContent",
          "citationsContent",
          "searchResult");

  /** Block types a system prompt may carry. */
  static final Set<String> SYSTEM_BLOCK_TYPES = Set.of("text", "guardContent", "cachePoint");

  private ContentBlocks() {}

  /** Validates {@code blocks} and returns the text of its text blocks joined by newlines. */
  static String text(SchemaViolations v, ArrayNode blocks, String path, Set<String> allowedTypes) {
    if (blocks == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      String blockPath = SchemaViolations.index(path, i);
      ObjectNode block = v.object(blocks.get(i), blockPath);
      v.allowOnly(block, blockPath, allowedTypes);
      JsonNode textNode = v.optional(block, "text");
      if (textNode != null) {
        String t = v.string(textNode, blockPath + "/text");
        if (t != null) {
          if (text.length() > 0) {
            text.append('\n');
          }
          text.append(t);
        }
      }
    }
    return text.toString();
  }

  /**
   * Where the last {@code cachePoint} block of {@code blocks} sits in the text {@link #text}
   * returns for them (the length of the text before it), or -1 if there is none.
   */
  static long lastCachePointOffset(ArrayNode blocks) {
    if (blocks == null) {
      return -1;
    }
    long length = 0;
    long offset = -1;
    for (JsonNode block : blocks) {
      if (block.has("cachePoint")) {
        offset = length;
      }
      JsonNode text = block.get("text");
      if (text != null && text.isTextual()) {
        length += (length > 0 ? 1 : 0) + text.textValue().length();
      }
    }
    return offset;
  }
}
