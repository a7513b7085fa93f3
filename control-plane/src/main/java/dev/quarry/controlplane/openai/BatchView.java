package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.store.JobCounts;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.OpenAiBatchRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The {@code batch} object of OpenAI's API, from the batch layer's record and its job: status
 * ({@link BatchStatus}), {@code request_counts} and {@code usage} from the job's live counts, the
 * times (Unix seconds) the batch layer recorded, and where the job's own record is exact, its end
 * time for {@code failed_at} and {@code expired_at} and its message as the error of a failed run.
 */
final class BatchView {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchView() {}

  /**
   * @param job the batch's job, or {@code null} when it has none
   */
  static ObjectNode of(OpenAiBatchRecord batch, JobRecord job) {
    String status = BatchStatus.of(batch, job);
    OpenAiBatchRecord.Times t = batch.times();
    ObjectNode o = JSON.createObjectNode();
    o.put("id", batch.batchId());
    o.put("object", "batch");
    o.put("endpoint", batch.endpoint());
    if (batch.model() != null) {
      o.put("model", batch.model());
    }
    List<BatchError> errors = errorsOf(batch, job, status);
    if (errors.isEmpty()) {
      o.putNull("errors");
    } else {
      ObjectNode list = o.putObject("errors");
      list.put("object", "list");
      errors.forEach(e -> list.withArray("data").add(e.toJson()));
    }
    o.put("input_file_id", batch.inputFileId());
    o.put("completion_window", batch.completionWindow());
    o.put("status", status);
    text(o, "output_file_id", batch.outputFileId());
    text(o, "error_file_id", batch.errorFileId());
    time(o, "created_at", batch.createdAt());
    time(o, "in_progress_at", t.inProgressAt());
    time(o, "expires_at", batch.expiresAt());
    time(o, "finalizing_at", t.finalizingAt());
    time(o, "completed_at", t.completedAt());
    time(
        o, "failed_at", t.failedAt() != null ? t.failedAt() : endOf(job, JobStatus.FAILED, status));
    time(
        o,
        "expired_at",
        t.expiredAt() != null ? t.expiredAt() : endOf(job, JobStatus.EXPIRED, status));
    time(o, "cancelling_at", t.cancellingAt());
    time(o, "cancelled_at", t.cancelledAt());
    JobCounts counts = job == null ? null : job.counts();
    long total = job == null || job.totalRecordCount() == null ? 0 : job.totalRecordCount();
    long completed = counts == null ? 0 : counts.succeeded();
    long failed = counts == null ? 0 : counts.failed();
    if (status.equals(BatchStatus.EXPIRED)) {
      failed = Math.max(failed, total - completed); // what was never run is failed, batch_expired
    }
    o.putObject("request_counts")
        .put("total", total)
        .put("completed", completed)
        .put("failed", failed);
    long in = counts == null ? 0 : counts.inputTokens();
    long out = counts == null ? 0 : counts.outputTokens();
    ObjectNode usage = o.putObject("usage");
    usage.put("input_tokens", in);
    usage.putObject("input_tokens_details").put("cached_tokens", 0);
    usage.put("output_tokens", out);
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", in + out);
    if (batch.metadataJson() == null) {
      o.putNull("metadata");
    } else {
      o.set("metadata", parse(batch.metadataJson()));
    }
    return o;
  }

  /** The stored errors, else, for a job that failed, its message. */
  static List<BatchError> errorsOf(OpenAiBatchRecord batch, JobRecord job, String status) {
    if (batch.errorsJson() != null) {
      return BatchError.fromJson(parse(batch.errorsJson()));
    }
    if (status.equals(BatchStatus.FAILED)) {
      String why =
          job == null
              ? "The batch's job no longer exists"
              : job.message() != null ? job.message() : "The batch's job failed";
      return List.of(BatchError.of("batch_failed", why));
    }
    return List.of();
  }

  private static Instant endOf(JobRecord job, JobStatus jobStatus, String status) {
    if (job == null || job.status() != jobStatus) {
      return null;
    }
    return status.equals(BatchStatus.FAILED) || status.equals(BatchStatus.EXPIRED)
        ? job.endTime()
        : null;
  }

  private static void text(ObjectNode o, String name, String value) {
    if (value == null) {
      o.putNull(name);
    } else {
      o.put(name, value);
    }
  }

  private static void time(ObjectNode o, String name, Instant value) {
    if (value == null) {
      o.putNull(name);
    } else {
      o.put(name, value.getEpochSecond());
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("A stored batch member is not JSON", e);
    }
  }
}
