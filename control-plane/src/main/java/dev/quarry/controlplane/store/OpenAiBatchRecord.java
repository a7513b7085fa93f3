package dev.quarry.controlplane.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A batch of the OpenAI Batch API, as the store keeps it: what Create was sent, the job that runs
 * it once its input passed validation, and the times at which the batch layer saw it reach each
 * status (all to the millisecond; {@code null} until then).
 *
 * @param batchId {@code batch_…}
 * @param accountId the account that owns it
 * @param accessKey the access key whose API key created it, whose allow-lists its job gets
 * @param endpoint {@code /v1/chat/completions} or {@code /v1/embeddings}
 * @param completionWindow {@code 24h}
 * @param inputFileId the uploaded file of requests
 * @param model the model its requests name, once validation read it
 * @param metadataJson the {@code metadata} object as sent, or {@code null}
 * @param status the batch layer's own status: {@code validating} until the job exists; terminal
 *     ({@code completed}, {@code failed}, {@code expired}, {@code cancelled}) once final
 * @param errorsJson the {@code errors.data} array, or {@code null}
 * @param jobId the job that runs it, or {@code null} before validation passed
 * @param outputFileId the file of its answers, once finalized, or {@code null}
 * @param errorFileId the file of its failed requests, once finalized, or {@code null}
 * @param createdAt when it was created
 * @param expiresAt when its completion window ends
 * @param times when it reached its later statuses
 */
public record OpenAiBatchRecord(
    String batchId,
    String accountId,
    String accessKey,
    String endpoint,
    String completionWindow,
    String inputFileId,
    String model,
    String metadataJson,
    String status,
    String errorsJson,
    String jobId,
    String outputFileId,
    String errorFileId,
    Instant createdAt,
    Instant expiresAt,
    Times times) {

  public OpenAiBatchRecord {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(completionWindow, "completionWindow");
    Objects.requireNonNull(inputFileId, "inputFileId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    times = times == null ? Times.NONE : times;
  }

  /** Whether the batch layer's status is final. */
  public boolean isFinal() {
    return OpenAiBatchStatuses.FINAL.contains(status);
  }

  /**
   * When the batch reached its statuses after {@code validating}; {@code null} for those it has
   * not.
   */
  public record Times(
      Instant inProgressAt,
      Instant finalizingAt,
      Instant completedAt,
      Instant failedAt,
      Instant expiredAt,
      Instant cancellingAt,
      Instant cancelledAt) {
    static final Times NONE = new Times(null, null, null, null, null, null, null);
  }
}
