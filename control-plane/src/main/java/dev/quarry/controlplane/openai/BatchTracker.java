package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.api.AccountJobs;
import dev.quarry.controlplane.api.ApiException;
import dev.quarry.controlplane.api.JobArns;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyStore;
import dev.quarry.controlplane.routes.ModelCatalog;
import dev.quarry.controlplane.store.JdbcOpenAiStore;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.OpenAiBatchRecord;
import dev.quarry.controlplane.store.OpenAiBatchStatuses.Time;
import dev.quarry.controlplane.store.OpenAiFileRecord;
import dev.quarry.job.io.OutputNaming;
import dev.quarry.job.model.InvokeBodyFamily;
import dev.quarry.job.spec.RecordFormat;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves batches along in the background, on one thread, woken by the API and by a timer: validates
 * a new batch's input ({@link BatchInputCheck}) and creates its job (as Create would, with the
 * creating key's allow-lists, so it shows in List and the console and runs on the same engine);
 * records the times at which it sees each batch reach a status; and once a job has ended, registers
 * its output and error files ({@code finalizing}) and makes the batch final.
 *
 * <p>Every pass reads the store afresh, so it picks up what an earlier run of the control plane or
 * another replica left; every change is conditional or idempotent (the job's client request token
 * is the batch's, the files' ids are the batch's), so two replicas cannot make two jobs or two
 * output files of one batch.
 */
final class BatchTracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchTracker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The tag that marks a batch's job, with the batch id as its value. */
  static final String TAG = "quarry:openai-batch";

  private final JdbcOpenAiStore store;
  private final JobStore jobs;
  private final AccountJobs accountJobs;
  private final KeyStore keys;
  private final BatchFiles files;
  private final ModelCatalog routes;
  private final ExpiredRequests expired;
  private final long maxRequests;
  private final int maxLineBytes;
  private final Clock clock;
  private final long pollMillis;
  private final ScheduledExecutorService loop;

  BatchTracker(
      JdbcOpenAiStore store,
      JobStore jobs,
      AccountJobs accountJobs,
      KeyStore keys,
      BatchFiles files,
      ModelCatalog routes,
      long maxRequests,
      int maxLineBytes,
      Clock clock,
      long pollMillis) {
    this.store = store;
    this.jobs = jobs;
    this.accountJobs = accountJobs;
    this.keys = keys;
    this.files = files;
    this.routes = routes;
    this.expired = new ExpiredRequests(maxLineBytes);
    this.maxRequests = maxRequests;
    this.maxLineBytes = maxLineBytes;
    this.clock = clock;
    this.pollMillis = pollMillis;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-openai-batches");
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    loop.scheduleWithFixedDelay(this::passSafely, 0, pollMillis, TimeUnit.MILLISECONDS);
  }

  /** Asks for a pass now rather than at the next tick. */
  void wake() {
    try {
      loop.execute(this::passSafely);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void passSafely() {
    try {
      for (OpenAiBatchRecord batch : store.unfinishedBatches()) {
        try {
          advance(batch);
        } catch (RuntimeException e) {
          LOG.error("Batch {}: the pass failed; the next pass retries", batch.batchId(), e);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Batch pass failed; the next pass retries", e);
    }
  }

  void advance(OpenAiBatchRecord batch) {
    if (batch.jobId() == null) {
      if (batch.status().equals(BatchStatus.VALIDATING)) {
        validateAndSubmit(batch);
      }
      return;
    }
    JobRecord job = jobs.find(batch.jobId()).orElse(null);
    observe(batch, job);
    if (job == null) {
      store.finish(
          batch.batchId(),
          BatchStatus.FAILED,
          clock.instant(),
          null,
          null,
          BatchError.toJson(BatchView.errorsOf(batch, null, BatchStatus.FAILED)));
      return;
    }
    switch (job.status()) {
      case COMPLETED, STOPPED, PARTIALLY_COMPLETED, EXPIRED -> finalizeOutputs(batch, job);
      case FAILED ->
          store.finish(
              batch.batchId(),
              BatchStatus.FAILED,
              job.endTime() != null ? job.endTime() : clock.instant(),
              null,
              null,
              BatchError.toJson(BatchView.errorsOf(batch, job, BatchStatus.FAILED)));
      default -> {}
    }
  }

  /**
   * Records the time a batch reached the status it is in now, the first time anyone sees it there
   * (this pass, or a Get); whether it recorded one.
   */
  boolean observe(OpenAiBatchRecord batch, JobRecord job) {
    OpenAiBatchRecord.Times t = batch.times();
    Time reached =
        switch (BatchStatus.of(batch, job)) {
          case BatchStatus.IN_PROGRESS -> t.inProgressAt() == null ? Time.IN_PROGRESS : null;
          case BatchStatus.CANCELLING -> t.cancellingAt() == null ? Time.CANCELLING : null;
          case BatchStatus.FINALIZING -> t.finalizingAt() == null ? Time.FINALIZING : null;
          default -> null;
        };
    if (reached == null) {
      return false;
    }
    store.recordTime(batch.batchId(), reached, clock.instant());
    return true;
  }

  private void validateAndSubmit(OpenAiBatchRecord batch) {
    Optional<OpenAiFileRecord> input = store.findFile(batch.accountId(), batch.inputFileId());
    if (input.isEmpty()) {
      fail(
          batch,
          BatchError.of(
              "invalid_file", "The input file " + batch.inputFileId() + " no longer exists."));
      return;
    }
    BatchInputCheck.Result result;
    try (InputStream in = BatchFiles.open(input.get().s3Uri())) {
      result = new BatchInputCheck(batch.endpoint(), maxRequests, maxLineBytes).check(in);
    } catch (IOException e) {
      LOG.warn("Batch {}: cannot read its input {}", batch.batchId(), input.get().s3Uri(), e);
      fail(
          batch,
          BatchError.of(
              "invalid_file",
              "The input file could not be read from S3 (" + e.getClass().getSimpleName() + ")."));
      return;
    }
    if (result.model() != null) {
      store.recordModel(batch.batchId(), result.model());
    }
    if (!result.passed()) {
      failWith(batch, result.errors());
      return;
    }
    Optional<BatchError> unserved = modelServes(batch.endpoint(), result.model());
    if (unserved.isPresent()) {
      fail(batch, unserved.get());
      return;
    }
    Optional<AccessKey> key = keys.find(batch.accessKey());
    if (key.isEmpty()) {
      fail(
          batch,
          BatchError.of(
              "invalid_api_key",
              "The key that created this batch (" + batch.accessKey() + ") was revoked."));
      return;
    }
    String jobId;
    try {
      JsonNode created =
          accountJobs.submit(
              key.get(),
              createJobBody(batch, input.get(), result.model()),
              RecordFormat.forOpenAiEndpoint(batch.endpoint()).orElseThrow());
      jobId = JobArns.jobIdFromArn(created.get("jobArn").asText(), "jobArn");
    } catch (ApiException e) {
      fail(batch, BatchError.of(codeOf(e), e.getMessage()));
      return;
    }
    if (!store.attachJob(batch.batchId(), jobId, result.model())) {
      OpenAiBatchRecord now = store.findBatch(batch.accountId(), batch.batchId()).orElse(batch);
      if (!jobId.equals(now.jobId())) {
        // cancelled while it was validated: the job must not run
        try {
          accountJobs.stopUnmetered(key.get(), jobId);
        } catch (ApiException e) {
          LOG.debug("Batch {}: its job {} was already stopped", batch.batchId(), jobId);
        }
      }
    }
  }

  /**
   * Whether the model can serve the endpoint where its route sends it: embeddings on Bedrock only
   * with Titan Text Embeddings (Converse serves every chat model).
   */
  private Optional<BatchError> modelServes(String endpoint, String model) {
    if (!endpoint.equals(RecordFormat.OPENAI_EMBEDDINGS.openAiEndpoint())
        || !routes.routeFor(model).isBedrock()
        || InvokeBodyFamily.of(model).orElse(null) == InvokeBodyFamily.AMAZON_TITAN_EMBED_TEXT) {
      return Optional.empty();
    }
    return Optional.of(
        new BatchError(
            "invalid_value",
            "The model '"
                + model
                + "' goes to Bedrock, where Quarry runs /v1/embeddings only on Amazon Titan Text"
                + " Embeddings models (amazon.titan-embed-text-*); route it to an OpenAI-compatible"
                + " server (quarry.route.<name>.models) or use a Titan model.",
            "body.model",
            null));
  }

  /** The Create request of a batch's job: its input file in, its account's batch folder out. */
  private ObjectNode createJobBody(OpenAiBatchRecord batch, OpenAiFileRecord input, String model) {
    String hex = OpenAiIds.hexOf(batch.batchId());
    ObjectNode body = JSON.createObjectNode();
    body.put("jobName", "openai-batch-" + hex);
    body.put("roleArn", "arn:aws:iam::" + batch.accountId() + ":role/quarry-openai-batch");
    body.put("clientRequestToken", hex);
    body.put("modelId", model);
    body.put("modelInvocationType", "Converse");
    body.putObject("inputDataConfig")
        .putObject("s3InputDataConfig")
        .put("s3Uri", input.s3Uri())
        .put("s3InputFormat", "JSONL");
    body.putObject("outputDataConfig")
        .putObject("s3OutputDataConfig")
        .put("s3Uri", files.outputUri(batch.accountId()));
    body.put("timeoutDurationInHours", 24);
    body.putArray("tags").addObject().put("key", TAG).put("value", batch.batchId());
    return body;
  }

  private static String codeOf(ApiException e) {
    return switch (e.errorType()) {
      case "AccessDeniedException" -> "permission_denied";
      case "ServiceQuotaExceededException" -> "batch_queue_full";
      default -> "invalid_request";
    };
  }

  /**
   * {@code finalizing}: the output and error files of a job that ended become the batch's files,
   * and the batch ends as its job did. An expired batch's requests that never ran are added to its
   * error file with {@code batch_expired}, as OpenAI writes them.
   */
  private void finalizeOutputs(OpenAiBatchRecord batch, JobRecord job) {
    Instant now = clock.instant();
    if (batch.times().inProgressAt() == null && job.status() != JobStatus.EXPIRED) {
      store.recordTime(batch.batchId(), Time.IN_PROGRESS, now); // it ran between two passes
    }
    store.recordTime(batch.batchId(), Time.FINALIZING, now);
    String end = BatchStatus.endOf(job);
    String inputUri = files.inputUri(batch.accountId(), batch.inputFileId());
    OutputNaming naming = files.naming(batch.accountId(), batch.inputFileId(), job.jobId());
    String answers = naming.outputPath(inputUri).toString();
    String failures = naming.errorsPath(inputUri).toString();
    try {
      if (end.equals(BatchStatus.EXPIRED)) {
        failures =
            expired.errorFile(
                batch.batchId(),
                inputUri,
                List.of(answers, failures),
                files.outputUri(batch.accountId())
                    + job.jobId()
                    + "/"
                    + batch.batchId()
                    + "_error.jsonl");
      }
      String outputId = register(batch, "output", answers, now);
      String errorId = register(batch, "error", failures, now);
      store.finish(batch.batchId(), end, now, outputId, errorId, null);
    } catch (IOException e) {
      LOG.warn(
          "Batch {}: cannot read its job's output yet; the next pass retries", batch.batchId(), e);
    }
  }

  /** Registers the object at {@code uri} as the batch's {@code kind} file if it has content. */
  private String register(OpenAiBatchRecord batch, String kind, String uri, Instant at)
      throws IOException {
    Optional<Long> size = BatchFiles.size(uri);
    if (size.isEmpty() || size.get() == 0) {
      return null;
    }
    String fileId = OpenAiIds.fileOf(batch.batchId(), kind);
    store.insertFile(
        new OpenAiFileRecord(
            fileId,
            batch.accountId(),
            batch.batchId() + "_" + kind + ".jsonl",
            FileOperations.BATCH_OUTPUT,
            size.get(),
            at,
            uri));
    return fileId;
  }

  private void fail(OpenAiBatchRecord batch, BatchError error) {
    failWith(batch, List.of(error));
  }

  private void failWith(OpenAiBatchRecord batch, List<BatchError> errors) {
    store.finish(
        batch.batchId(),
        BatchStatus.FAILED,
        clock.instant(),
        null,
        null,
        BatchError.toJson(errors));
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
