package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The content of one chat message: text parts and images. A message of one text part is sent as a
 * plain string, which every server accepts; others as an array of {@code text} and {@code
 * image_url} parts.
 */
final class ContentParts {
  private final ArrayNode parts = JsonNodeFactory.instance.arrayNode();

  void text(String text) {
    parts.addObject().put("type", "text").put("text", text);
  }

  /** An image given inline, as a {@code data:} URL. */
  void image(String mediaType, String base64) {
    imageUrl("data:" + mediaType + ";base64," + base64);
  }

  void imageUrl(String url) {
    parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
  }

  boolean isEmpty() {
    return parts.isEmpty();
  }

  JsonNode toContent() {
    if (parts.size() == 1 && "text".equals(parts.get(0).path("type").asText())) {
      return TextNode.valueOf(parts.get(0).path("text").asText());
    }
    return parts;
  }
}
