package dev.quarry.job.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The output lines of OpenAI's Batch API: {@code {"id","custom_id","response":{"status_code",
 * "request_id","body"},"error"}}. A request the model answered, well or with an error status, has a
 * {@code response} (an error's body is OpenAI's {@code
 * {"error":{"message","type","param","code"}}}) and {@code "error": null}; a request never sent has
 * {@code "response": null} and an {@code error} of {@code code} and {@code message}, as OpenAI
 * writes a request it could not run.
 *
 * <p>The line's {@code id} ({@code batch_req_…}) is derived from the job, file and line, so a line
 * written again after a restore has the same id.
 */
final class OpenAiOutputLines implements OutputLines {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  private final String jobId;

  OpenAiOutputLines(String jobId) {
    this.jobId = jobId;
  }

  @Override
  public String success(BatchRecord record, String body, String requestId) {
    return write(
        record,
        g -> {
          g.writeObjectFieldStart("response");
          g.writeNumberField("status_code", 200);
          g.writeStringField("request_id", requestId == null ? newRequestId() : requestId);
          g.writeFieldName("body");
          g.writeRawValue(body);
          g.writeEndObject();
          g.writeNullField("error");
        });
  }

  @Override
  public String failure(BatchRecord record, int statusCode, String message) {
    return write(
        record,
        g -> {
          g.writeObjectFieldStart("response");
          g.writeNumberField("status_code", statusCode);
          g.writeStringField("request_id", newRequestId());
          g.writeObjectFieldStart("body");
          g.writeObjectFieldStart("error");
          g.writeStringField("message", message == null ? "" : message);
          g.writeStringField("type", errorType(statusCode));
          g.writeNullField("param");
          String code = errorCode(statusCode);
          if (code == null) {
            g.writeNullField("code");
          } else {
            g.writeStringField("code", code);
          }
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndObject();
          g.writeNullField("error");
        });
  }

  @Override
  public String invalid(BatchRecord record) {
    return write(
        record,
        g -> {
          g.writeNullField("response");
          g.writeObjectFieldStart("error");
          g.writeStringField("code", "invalid_request");
          g.writeStringField("message", record.errorMessage == null ? "" : record.errorMessage);
          g.writeEndObject();
        });
  }

  /** OpenAI's error {@code type} for an HTTP status. */
  static String errorType(int status) {
    if (status == 429) {
      return "requests";
    }
    return status >= 500 || status == 408 ? "server_error" : "invalid_request_error";
  }

  /** OpenAI's error {@code code} for an HTTP status, where it has one. */
  static String errorCode(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 404 -> "model_not_found";
      case 408 -> "timeout";
      case 429 -> "rate_limit_exceeded";
      default -> null;
    };
  }

  /** {@code batch_req_} and 32 hex digits of the job, file and line. */
  String lineId(BatchRecord record) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest(
              (jobId + '\n' + record.file + '\n' + record.lineNumber)
                  .getBytes(StandardCharsets.UTF_8));
      return "batch_req_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  private static String newRequestId() {
    return "req_" + UUID.randomUUID().toString().replace("-", "");
  }

  private interface Members {
    void write(JsonGenerator g) throws IOException;
  }

  private String write(BatchRecord record, Members members) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", lineId(record));
      g.writeStringField("custom_id", record.recordId);
      members.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("Writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }
}
