package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** OpenAI's list objects and their query parameters. */
final class OpenAiLists {
  private OpenAiLists() {}

  /** {@code {"object":"list","data","first_id","last_id","has_more"}}. */
  static ObjectNode of(List<ObjectNode> items, boolean hasMore) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    items.forEach(data::add);
    if (items.isEmpty()) {
      o.putNull("first_id");
      o.putNull("last_id");
    } else {
      o.put("first_id", items.get(0).get("id").asText());
      o.put("last_id", items.get(items.size() - 1).get("id").asText());
    }
    o.put("has_more", hasMore);
    return o;
  }

  /** The {@code limit} parameter: an integer from 1 to {@code max}, else a 400. */
  static int limit(Map<String, String> query, int defaultLimit, int max) {
    String raw = query.get("limit");
    if (raw == null || raw.isEmpty()) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw OpenAiException.invalid(
        "Invalid value for 'limit': expected an integer from 1 to " + max + ", got '" + raw + "'.",
        "limit",
        "invalid_value");
  }
}
