package dev.quarry.job.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.job.spec.RecordFormat;

/**
 * A request line of OpenAI's Batch API, {@code {"custom_id","method","url","body"}}: the {@code
 * custom_id} is the record's id and the {@code body} its input. The control plane validated the
 * file before the job started, so a defect here is rare; it still becomes that line's error, never
 * a failure of the job.
 */
final class OpenAiRequestLine {
  private OpenAiRequestLine() {}

  /** The record a parsed JSON object stands for, or the reason it cannot be sent. */
  static BatchRecord toRecord(
      SourceLine line, JsonNode node, String generatedId, RecordFormat format) {
    JsonNode body = node.get("body");
    String input = body != null && body.isObject() ? body.toString() : null;
    JsonNode customId = node.get("custom_id");
    if (customId == null || !customId.isTextual() || customId.textValue().isEmpty()) {
      return RecordParser.invalid(
          line, generatedId, input, "custom_id is required and must be a non-empty string");
    }
    String id = customId.textValue();
    JsonNode method = node.get("method");
    if (method == null || !"POST".equals(method.asText(null))) {
      return RecordParser.invalid(line, id, input, "method must be POST");
    }
    JsonNode url = node.get("url");
    if (url == null || !format.openAiEndpoint().equals(url.asText(null))) {
      return RecordParser.invalid(
          line,
          id,
          input,
          "url must be the batch's endpoint " + format.openAiEndpoint() + ", as on every line");
    }
    if (input == null) {
      return RecordParser.invalid(line, id, null, "body is required and must be a JSON object");
    }
    return BatchRecord.record(line.file, line.lineNumber, id, input);
  }
}
