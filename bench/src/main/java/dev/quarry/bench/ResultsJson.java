package dev.quarry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of scenario results: the raw figures file, and how the scale run hands its result
 * back.
 */
final class ResultsJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private ResultsJson() {}

  static ObjectNode toJson(ScenarioResult r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", r.key());
    node.put("title", r.title());
    node.put("records", r.records());
    putNumber(node, "seconds", r.seconds());
    putNumber(node, "records_per_s", r.rate());
    putNumber(node, "reference_rate", r.referenceRate());
    node.set("details", JSON.valueToTree(r.details()));
    ArrayNode samples = node.putArray("timeline");
    for (Timeline.Sample s : r.timeline().samples()) {
      ArrayNode sample =
          samples.addArray().add(Math.round(s.seconds() * 1000) / 1000.0).add(s.done());
      if (!Double.isNaN(s.cpuSeconds())) {
        sample.add(Math.round(s.cpuSeconds() * 1000) / 1000.0);
      }
    }
    return node;
  }

  static ScenarioResult fromJson(JsonNode node) {
    Timeline timeline = new Timeline();
    node.path("timeline")
        .forEach(
            s ->
                timeline.add(
                    s.get(0).asDouble(),
                    s.get(1).asLong(),
                    s.has(2) ? s.get(2).asDouble() : Double.NaN));
    Map<String, Object> details = new LinkedHashMap<>();
    node.path("details")
        .fields()
        .forEachRemaining(
            e -> details.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    return new ScenarioResult(
        node.path("key").asText(),
        node.path("title").asText(),
        node.path("records").asLong(),
        number(node, "seconds"),
        number(node, "records_per_s"),
        details,
        timeline,
        number(node, "reference_rate"));
  }

  /** JSON has no NaN: an unknown figure is null. */
  private static void putNumber(ObjectNode node, String name, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  private static double number(JsonNode node, String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? Double.NaN : v.asDouble();
  }
}
