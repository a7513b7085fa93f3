package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.api.AccountJobs;
import dev.quarry.controlplane.api.ApiException;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.store.JdbcOpenAiStore;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.OpenAiBatchRecord;
import dev.quarry.controlplane.store.OpenAiFileRecord;
import dev.quarry.controlplane.store.OpenAiPage;
import dev.quarry.job.spec.RecordFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/batches}: create, get, list and cancel the caller's account's batches. Another
 * account's batch answers 404, as a batch that does not exist.
 */
final class BatchOperations {
  static final String COMPLETION_WINDOW = "24h";
  private static final Set<String> MEMBERS =
      Set.of("input_file_id", "endpoint", "completion_window", "metadata", "output_expires_after");
  private static final int MAX_METADATA = 16;

  private final JdbcOpenAiStore store;
  private final JobStore jobs;
  private final AccountJobs accountJobs;
  private final BatchFiles files;
  private final BatchTracker tracker;
  private final java.time.Clock clock;

  BatchOperations(
      JdbcOpenAiStore store,
      JobStore jobs,
      AccountJobs accountJobs,
      BatchFiles files,
      BatchTracker tracker,
      java.time.Clock clock) {
    this.store = store;
    this.jobs = jobs;
    this.accountJobs = accountJobs;
    this.files = files;
    this.tracker = tracker;
    this.clock = clock;
  }

  /**
   * {@code POST /v1/batches}: a {@code validating} batch. The request and the input file are
   * checked now, and so are what its job's Create would refuse for the key (the allow-lists, the
   * account's queue); the lines are validated in the background ({@link BatchTracker}).
   */
  ObjectNode create(AccessKey key, JsonNode body) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!MEMBERS.contains(name)) {
        throw OpenAiException.invalid(
            "Unrecognized request argument supplied: " + name, name, "unknown_parameter");
      }
    }
    String inputFileId = requiredText(body, "input_file_id");
    String endpoint = requiredText(body, "endpoint");
    if (RecordFormat.forOpenAiEndpoint(endpoint).isEmpty()) {
      throw OpenAiException.notOneOf(
          "endpoint",
          endpoint,
          RecordFormat.OPENAI_CHAT_COMPLETIONS.openAiEndpoint(),
          RecordFormat.OPENAI_EMBEDDINGS.openAiEndpoint());
    }
    String window = requiredText(body, "completion_window");
    if (!window.equals(COMPLETION_WINDOW)) {
      throw OpenAiException.notOneOf("completion_window", window, COMPLETION_WINDOW);
    }
    String metadata = metadata(body.get("metadata"));
    OpenAiFileRecord input =
        store
            .findFile(key.account(), inputFileId)
            .orElseThrow(
                () ->
                    OpenAiException.notFound(
                        "No such File object: " + inputFileId, "input_file_id"));
    if (!input.purpose().equals(FileOperations.BATCH)) {
      throw OpenAiException.invalid(
          "The input file "
              + inputFileId
              + " has purpose '"
              + input.purpose()
              + "'; a batch's input must be uploaded with purpose 'batch'.",
          "input_file_id",
          "invalid_value");
    }
    try {
      accountJobs.checkCreate(key, input.s3Uri(), files.outputUri(key.account()));
    } catch (ApiException e) {
      throw OpenAiException.of(e);
    }
    Instant now = clock.instant();
    OpenAiBatchRecord batch =
        new OpenAiBatchRecord(
            OpenAiIds.newBatchId(),
            key.account(),
            key.accessKey(),
            endpoint,
            window,
            inputFileId,
            null,
            metadata,
            BatchStatus.VALIDATING,
            null,
            null,
            null,
            null,
            now,
            now.plus(Duration.ofHours(24)),
            null);
    store.insertBatch(batch);
    tracker.wake();
    return BatchView.of(batch, null);
  }

  /** {@code GET /v1/batches/{id}}. */
  ObjectNode get(AccessKey key, String batchId) {
    OpenAiBatchRecord batch = find(key, batchId);
    JobRecord job = jobOf(batch);
    if (tracker.observe(batch, job)) {
      batch = find(key, batchId);
    }
    String status = BatchStatus.of(batch, job);
    if (!batch.isFinal()
        && (status.equals(BatchStatus.FINALIZING)
            || status.equals(BatchStatus.FAILED)
            || status.equals(BatchStatus.EXPIRED))) {
      tracker.wake(); // the job ended: make the batch final now rather than at the next tick
    }
    return BatchView.of(batch, job);
  }

  /** {@code GET /v1/batches} with {@code after} and {@code limit} (1 to 100, 20 by default). */
  ObjectNode list(AccessKey key, Map<String, String> query) {
    int limit = OpenAiLists.limit(query, 20, 100);
    String after = query.get("after");
    OpenAiPage<OpenAiBatchRecord> page =
        store
            .listBatches(key.account(), after, limit)
            .orElseThrow(() -> OpenAiException.notFound("No such Batch object: " + after, "after"));
    return OpenAiLists.of(
        page.items().stream().map(b -> BatchView.of(b, jobOf(b))).toList(), page.hasMore());
  }

  /**
   * {@code POST /v1/batches/{id}/cancel}: the batch's job is stopped (Stop: what it finished is
   * kept and becomes the output file); a batch still being validated is cancelled at once. Asking
   * again while it cancels answers the batch; a batch that ended or is finalizing is a 409.
   */
  ObjectNode cancel(AccessKey key, String batchId) {
    OpenAiBatchRecord batch = find(key, batchId);
    if (batch.jobId() == null && store.cancelBeforeJob(batchId, clock.instant())) {
      return BatchView.of(find(key, batchId), null);
    }
    batch = find(key, batchId);
    JobRecord job = jobOf(batch);
    String status = BatchStatus.of(batch, job);
    switch (status) {
      case BatchStatus.CANCELLING, BatchStatus.CANCELLED -> {
        return BatchView.of(batch, job);
      }
      case BatchStatus.VALIDATING, BatchStatus.IN_PROGRESS -> {
        if (job == null) {
          throw conflict(batchId, status); // the job is being created by another pass: retry
        }
        try {
          accountJobs.stopUnmetered(key, job.jobId());
        } catch (ApiException e) {
          throw conflict(batchId, BatchStatus.of(batch, jobOf(batch)));
        }
        tracker.observe(batch, jobOf(batch));
        tracker.wake();
        OpenAiBatchRecord now = find(key, batchId);
        return BatchView.of(now, jobOf(now));
      }
      default -> throw conflict(batchId, status);
    }
  }

  private static OpenAiException conflict(String batchId, String status) {
    return new OpenAiException(
        409,
        OpenAiException.INVALID_REQUEST,
        "Cannot cancel batch " + batchId + " with status '" + status + "'.",
        null,
        null);
  }

  private OpenAiBatchRecord find(AccessKey key, String batchId) {
    return store
        .findBatch(key.account(), batchId)
        .orElseThrow(
            () -> OpenAiException.notFound("No such Batch object: " + batchId, "batch_id"));
  }

  private JobRecord jobOf(OpenAiBatchRecord batch) {
    return batch.jobId() == null ? null : jobs.find(batch.jobId()).orElse(null);
  }

  private static String requiredText(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
      throw OpenAiException.missing(name);
    }
    if (!value.isTextual()) {
      throw OpenAiException.invalid(
          "Invalid type for '" + name + "': expected a string.", name, "invalid_type");
    }
    return value.textValue();
  }

  /** OpenAI's metadata: at most 16 string values, keys up to 64 and values up to 512 characters. */
  private static String metadata(JsonNode metadata) {
    if (metadata == null || metadata.isNull()) {
      return null;
    }
    if (!metadata.isObject()) {
      throw OpenAiException.invalid(
          "Invalid type for 'metadata': expected an object.", "metadata", "invalid_type");
    }
    if (metadata.size() > MAX_METADATA) {
      throw OpenAiException.invalid(
          "Invalid 'metadata': too many properties. Expected an object with at most "
              + MAX_METADATA
              + " properties, but got "
              + metadata.size()
              + ".",
          "metadata",
          "object_above_max_properties");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String param = "metadata." + entry.getKey();
      if (entry.getKey().length() > 64) {
        throw OpenAiException.invalid(
            "Invalid 'metadata': keys can be at most 64 characters long.",
            "metadata",
            "invalid_value");
      }
      if (!entry.getValue().isTextual()) {
        throw OpenAiException.invalid(
            "Invalid type for '" + param + "': expected a string.", param, "invalid_type");
      }
      if (entry.getValue().textValue().length() > 512) {
        throw OpenAiException.invalid(
            "Invalid '" + param + "': string too long. Expected a string with maximum length 512.",
            param,
            "string_above_max_length");
      }
    }
    return metadata.toString();
  }
}
