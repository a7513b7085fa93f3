package dev.quarry.job.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Builds the output lines Bedrock writes: {@code {"recordId","modelInput","modelOutput"}} on
 * success, {@code {"recordId","modelInput","error":{"errorCode","errorMessage"}}} on failure.
 */
public final class OutputLine {
  private static final JsonFactory JSON = new JsonFactory();

  private OutputLine() {}

  /**
   * A success line; {@code modelInput} and {@code modelOutput} are JSON texts embedded as they are.
   */
  public static String success(String recordId, String modelInput, String modelOutput) {
    return write(
        g -> {
          g.writeStringField("recordId", recordId);
          g.writeFieldName("modelInput");
          writeJsonOrNull(g, modelInput);
          g.writeFieldName("modelOutput");
          writeJsonOrNull(g, modelOutput);
        });
  }

  /** An error line; {@code modelInput} may be {@code null} when the line had none. */
  public static String error(
      String recordId, String modelInput, int errorCode, String errorMessage) {
    return write(
        g -> {
          g.writeStringField("recordId", recordId);
          g.writeFieldName("modelInput");
          writeJsonOrNull(g, modelInput);
          g.writeObjectFieldStart("error");
          g.writeNumberField("errorCode", errorCode);
          g.writeStringField("errorMessage", errorMessage == null ? "" : errorMessage);
          g.writeEndObject();
        });
  }

  private static void writeJsonOrNull(JsonGenerator g, String json) throws IOException {
    if (json == null) {
      g.writeNull();
    } else {
      g.writeRawValue(json);
    }
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("Writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }
}
