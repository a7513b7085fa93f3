package dev.quarry.emulator.family;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.stats.BodyDigest;
import java.io.IOException;
import java.util.List;

/**
 * Writes a Converse response: the reply (after a reasoning block when the request asked for
 * reasoning), {@code stopReason}, {@code usage} (with cache tokens when the request had cache
 * points), {@code metrics}, and the members a request's settings call for: {@code
 * additionalModelResponseFields}, the guardrail {@code trace}, and its {@code performanceConfig}
 * and {@code serviceTier} echoed.
 *
 * @param reportCache the request had cache points, so usage reports cache reads and writes
 * @param reasoning answer with a {@code reasoningContent} block first
 * @param responseFieldPaths JSON pointers asked for in {@code additionalModelResponseFieldPaths}
 * @param guardrailTrace the trace to write, or null
 * @param performanceConfig the request's {@code performanceConfig}, or null
 * @param serviceTier the request's {@code serviceTier}, or null
 */
record ConverseReply(
    boolean reportCache,
    boolean reasoning,
    List<String> responseFieldPaths,
    GuardrailTrace guardrailTrace,
    JsonNode performanceConfig,
    JsonNode serviceTier)
    implements ResponseWriter {

  ConverseReply {
    responseFieldPaths = List.copyOf(responseFieldPaths);
  }

  @Override
  public void write(JsonGenerator json, Completion c) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("output");
    json.writeObjectFieldStart("message");
    json.writeStringField("role", "assistant");
    json.writeArrayFieldStart("content");
    if (reasoning) {
      String thought = "Emulated reasoning before: " + c.text();
      json.writeStartObject();
      json.writeObjectFieldStart("reasoningContent");
      json.writeObjectFieldStart("reasoningText");
      json.writeStringField("text", thought);
      json.writeStringField("signature", BodyDigest.of(thought).base64());
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndObject();
    }
    json.writeStartObject();
    json.writeStringField("text", c.text());
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
    json.writeStringField("stopReason", c.hitMaxTokens() ? "max_tokens" : "end_turn");
    json.writeObjectFieldStart("usage");
    json.writeNumberField("inputTokens", c.inputTokens());
    json.writeNumberField("outputTokens", c.outputTokens());
    json.writeNumberField(
        "totalTokens",
        (long) c.inputTokens()
            + c.outputTokens()
            + c.cacheReadInputTokens()
            + c.cacheWriteInputTokens());
    if (reportCache) {
      json.writeNumberField("cacheReadInputTokens", c.cacheReadInputTokens());
      json.writeNumberField("cacheWriteInputTokens", c.cacheWriteInputTokens());
    }
    json.writeEndObject();
    json.writeObjectFieldStart("metrics");
    json.writeNumberField("latencyMs", c.latencyMillis());
    json.writeEndObject();
    if (!responseFieldPaths.isEmpty()) {
      json.writeFieldName("additionalModelResponseFields");
      json.writeTree(responseFields());
    }
    if (guardrailTrace != null) {
      json.writeFieldName("trace");
      guardrailTrace.write(json, c.text());
    }
    if (performanceConfig != null) {
      json.writeFieldName("performanceConfig");
      json.writeTree(performanceConfig);
    }
    if (serviceTier != null) {
      json.writeFieldName("serviceTier");
      json.writeTree(serviceTier);
    }
    json.writeEndObject();
  }

  /**
   * Each requested JSON pointer as nested members ending in null: the emulator has no model-native
   * response to read the values from, and null is what Bedrock answers for a field such as {@code
   * /stop_sequence} that the model left empty. A path that is not a JSON pointer is left out.
   */
  ObjectNode responseFields() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (String path : responseFieldPaths) {
      if (!path.startsWith("/")) {
        continue;
      }
      String[] segments = path.substring(1).split("/", -1);
      ObjectNode parent = root;
      for (int i = 0; i < segments.length; i++) {
        String name = segments[i].replace("~1", "/").replace("~0", "~");
        if (i == segments.length - 1) {
          if (!parent.has(name)) {
            parent.putNull(name);
          }
        } else {
          JsonNode child = parent.get(name);
          parent = child instanceof ObjectNode o ? o : parent.putObject(name);
        }
      }
    }
    return root;
  }
}
