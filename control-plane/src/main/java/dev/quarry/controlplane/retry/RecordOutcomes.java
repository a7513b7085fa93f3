package dev.quarry.controlplane.retry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * What one output file of an ended job says of each record id in it: answered, failed with a
 * retryable code, or failed otherwise.
 *
 * <p>The file is read as a stream of JSON objects, skipping {@code modelInput} and {@code
 * modelOutput} unread, so only the ids and their outcomes are held, never the lines.
 */
final class RecordOutcomes {
  private static final JsonFactory JSON = new JsonFactory();

  /** A record's outcome; when an id has several lines (a duplicate id), the best one counts. */
  enum Outcome {
    SUCCEEDED,
    RETRYABLE_ERROR,
    OTHER_ERROR;

    Outcome best(Outcome other) {
      return ordinal() <= other.ordinal() ? this : other;
    }
  }

  private final Map<String, Outcome> byId;

  private RecordOutcomes(Map<String, Outcome> byId) {
    this.byId = byId;
  }

  /** For an input file the job wrote no output for. */
  static RecordOutcomes none() {
    return new RecordOutcomes(Map.of());
  }

  /** Reads an output file ({@code <file>.out}): one JSON object per line. */
  static RecordOutcomes read(InputStream in, String name) throws IOException {
    Map<String, Outcome> byId = new HashMap<>();
    try (JsonParser p = JSON.createParser(in)) {
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        if (token != JsonToken.START_OBJECT) {
          throw new IOException(
              name
                  + " is not an output file: expected one JSON object per line near "
                  + p.currentLocation());
        }
        String recordId = null;
        Integer errorCode = null;
        boolean error = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if ("recordId".equals(field)) {
            recordId = p.getValueAsString();
          } else if ("error".equals(field) && value == JsonToken.START_OBJECT) {
            error = true;
            errorCode = readErrorCode(p);
          } else {
            p.skipChildren();
          }
        }
        if (recordId == null) {
          throw new IOException(
              name + " has an output line without a recordId near " + p.currentLocation());
        }
        Outcome outcome =
            !error
                ? Outcome.SUCCEEDED
                : errorCode != null && ErrorSelection.isRetryable(errorCode)
                    ? Outcome.RETRYABLE_ERROR
                    : Outcome.OTHER_ERROR;
        byId.merge(recordId, outcome, Outcome::best);
      }
    }
    return new RecordOutcomes(byId);
  }

  private static Integer readErrorCode(JsonParser p) throws IOException {
    Integer code = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("errorCode".equals(field) && value.isNumeric()) {
        code = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
    return code;
  }

  /** The outcome of {@code recordId}, or {@code null} when the file has no line for it. */
  Outcome of(String recordId) {
    return byId.get(recordId);
  }
}
