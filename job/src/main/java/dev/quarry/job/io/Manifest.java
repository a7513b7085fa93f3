package dev.quarry.job.io;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.progress.JobProgress;

/** The six counts Bedrock writes to {@code manifest.json.out}. */
@JsonPropertyOrder({
  "totalRecordCount",
  "processedRecordCount",
  "successRecordCount",
  "errorRecordCount",
  "inputTokenCount",
  "outputTokenCount"
})
public record Manifest(
    long totalRecordCount,
    long processedRecordCount,
    long successRecordCount,
    long errorRecordCount,
    long inputTokenCount,
    long outputTokenCount) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static Manifest of(long totalRecordCount, JobProgress p) {
    return new Manifest(
        totalRecordCount,
        p.processedRecordCount(),
        p.successRecordCount(),
        p.errorRecordCount(),
        p.inputTokenCount(),
        p.outputTokenCount());
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Manifest fromJson(String json) {
    try {
      return JSON.readValue(json, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a manifest: " + e.getOriginalMessage(), e);
    }
  }
}
