package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.lifecycle.BoundedLine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code validating} step of a batch, as OpenAI's: every line of the input is a JSON object
 * with a unique {@code custom_id}, {@code method} {@code POST}, the batch's {@code url} and a
 * {@code body} naming the batch's one {@code model}; the file holds at least one request and at
 * most the configured number. Each defect is a {@link BatchError} with OpenAI's code and the line;
 * past {@link #MAX_ERRORS} the rest are counted, not listed.
 */
final class BatchInputCheck {
  static final int MAX_ERRORS = 100;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * What validation found.
   *
   * @param model the model the requests name, or {@code null} if none could be read
   * @param requests the requests (non-blank lines)
   * @param errors why the batch cannot run; empty when it can
   */
  record Result(String model, long requests, List<BatchError> errors) {
    Result {
      errors = List.copyOf(errors);
    }

    boolean passed() {
      return errors.isEmpty();
    }
  }

  private final String endpoint;
  private final long maxRequests;
  private final int maxLineBytes;

  /**
   * @param endpoint the batch's endpoint, every line's {@code url}
   * @param maxRequests the most requests a batch may hold
   * @param maxLineBytes the longest request line
   */
  BatchInputCheck(String endpoint, long maxRequests, int maxLineBytes) {
    this.endpoint = endpoint;
    this.maxRequests = maxRequests;
    this.maxLineBytes = maxLineBytes;
  }

  Result check(InputStream content) throws IOException {
    List<BatchError> errors = new ArrayList<>();
    Map<String, Long> firstLineOf = new HashMap<>();
    String model = null;
    long modelLine = 0;
    long requests = 0;
    long lineNumber = 0;
    long unlisted = 0;
    BoundedLine line = new BoundedLine(maxLineBytes);
    try (InputStream in = new BufferedInputStream(content, 1 << 16)) {
      while (line.readFrom(in)) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        requests++;
        List<BatchError> found = new ArrayList<>(1);
        JsonNode request = parse(line, lineNumber, found);
        if (request != null) {
          String customId = customId(request, lineNumber, found);
          if (customId != null && requests <= maxRequests) {
            Long first = firstLineOf.putIfAbsent(customId, lineNumber);
            if (first != null) {
              found.add(
                  new BatchError(
                      "duplicate_custom_id",
                      "The custom_id for this request is a duplicate of another request (line "
                          + first
                          + "). The custom_id parameter must be unique for each request in a"
                          + " batch.",
                      "custom_id",
                      lineNumber));
            }
          }
          checkMethodAndUrl(request, lineNumber, found);
          String lineModel = model(request, lineNumber, found);
          if (lineModel != null && model == null) {
            model = lineModel;
            modelLine = lineNumber;
          } else if (lineModel != null && !lineModel.equals(model)) {
            found.add(
                new BatchError(
                    "model_mismatch",
                    "The provided model '"
                        + lineModel
                        + "' does not match the model '"
                        + model
                        + "' of the request on line "
                        + modelLine
                        + ": every request of a batch must use the same model.",
                    "body.model",
                    lineNumber));
          }
        }
        for (BatchError e : found) {
          if (errors.size() < MAX_ERRORS) {
            errors.add(e);
          } else {
            unlisted++;
          }
        }
      }
    }
    if (requests == 0) {
      errors.add(
          BatchError.of(
              "empty_file",
              "The batch input file is empty. Please ensure that the batch contains at least one"
                  + " request."));
    }
    if (requests > maxRequests) {
      errors.add(
          BatchError.of(
              "too_many_tasks",
              "The batch input file has "
                  + requests
                  + " requests; a batch may hold at most "
                  + maxRequests
                  + " (quarry.openai.max-requests-per-batch)."));
    }
    if (unlisted > 0) {
      errors.add(
          BatchError.of(
              "too_many_errors",
              unlisted + " more errors are not listed; the first " + MAX_ERRORS + " are."));
    }
    return new Result(model, requests, errors);
  }

  private JsonNode parse(BoundedLine line, long lineNumber, List<BatchError> found) {
    if (line.truncated()) {
      found.add(
          new BatchError(
              "request_too_large",
              "This line is longer than " + maxLineBytes + " bytes (quarry.job.max-record-bytes).",
              null,
              lineNumber));
      return null;
    }
    JsonNode node;
    try {
      String text = line.text(lineNumber == 1);
      node = JSON.readTree(text);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      found.add(
          new BatchError(
              "invalid_json_line", "This line is not parseable as valid JSON.", null, lineNumber));
      return null;
    }
    return node;
  }

  private static String customId(JsonNode request, long lineNumber, List<BatchError> found) {
    JsonNode id = request.get("custom_id");
    if (id == null || id.isNull() || (id.isTextual() && id.textValue().isEmpty())) {
      found.add(missing("custom_id", lineNumber));
      return null;
    }
    if (!id.isTextual()) {
      found.add(
          new BatchError(
              "invalid_value",
              "Invalid type for 'custom_id': expected a string.",
              "custom_id",
              lineNumber));
      return null;
    }
    return id.textValue();
  }

  private void checkMethodAndUrl(JsonNode request, long lineNumber, List<BatchError> found) {
    JsonNode method = request.get("method");
    if (method == null || method.isNull()) {
      found.add(missing("method", lineNumber));
    } else if (!"POST".equals(method.asText())) {
      found.add(
          new BatchError(
              "invalid_value",
              "Invalid value: '" + method.asText() + "'. Supported values are: 'POST'.",
              "method",
              lineNumber));
    }
    JsonNode url = request.get("url");
    if (url == null || url.isNull()) {
      found.add(missing("url", lineNumber));
    } else if (!endpoint.equals(url.asText())) {
      found.add(
          new BatchError(
              "url_mismatch",
              "The URL provided for this request ('"
                  + url.asText()
                  + "') does not match the batch endpoint '"
                  + endpoint
                  + "'.",
              "url",
              lineNumber));
    }
  }

  private static String model(JsonNode request, long lineNumber, List<BatchError> found) {
    JsonNode body = request.get("body");
    if (body == null || body.isNull()) {
      found.add(missing("body", lineNumber));
      return null;
    }
    if (!body.isObject()) {
      found.add(
          new BatchError(
              "invalid_value", "Invalid type for 'body': expected an object.", "body", lineNumber));
      return null;
    }
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.textValue().isEmpty()) {
      found.add(missing("body.model", lineNumber));
      return null;
    }
    return model.textValue();
  }

  private static BatchError missing(String param, long lineNumber) {
    return new BatchError(
        "missing_required_parameter",
        "Missing required parameter: '" + param + "'.",
        param,
        lineNumber);
  }
}
