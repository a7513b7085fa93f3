package dev.quarry.job.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** Converts between Jackson trees and the SDK's {@link Document}, for Converse's free-form members. */
final class JsonDocuments {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonDocuments() {}

  static Document toDocument(JsonNode node) {
    if (node == null || node.isNull()) {
      return Document.fromNull();
    }
    if (node.isObject()) {
      Map<String, Document> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), toDocument(e.getValue())));
      return Document.fromMap(map);
    }
    if (node.isArray()) {
      List<Document> list = new ArrayList<>();
      node.forEach(n -> list.add(toDocument(n)));
      return Document.fromList(list);
    }
    if (node.isBoolean()) {
      return Document.fromBoolean(node.booleanValue());
    }
    if (node.isNumber()) {
      return Document.fromNumber(SdkNumber.fromString(node.asText()));
    }
    return Document.fromString(node.asText());
  }

  static JsonNode toJson(Document doc) {
    if (doc == null || doc.isNull()) {
      return NODES.nullNode();
    }
    if (doc.isMap()) {
      ObjectNode o = NODES.objectNode();
      doc.asMap().forEach((k, v) -> o.set(k, toJson(v)));
      return o;
    }
    if (doc.isList()) {
      ArrayNode a = NODES.arrayNode();
      doc.asList().forEach(v -> a.add(toJson(v)));
      return a;
    }
    if (doc.isBoolean()) {
      return NODES.booleanNode(doc.asBoolean());
    }
    if (doc.isNumber()) {
      return NODES.numberNode(doc.asNumber().bigDecimalValue());
    }
    return NODES.textNode(doc.asString());
  }
}
