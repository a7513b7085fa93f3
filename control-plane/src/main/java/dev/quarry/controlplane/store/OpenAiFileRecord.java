package dev.quarry.controlplane.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A file of the OpenAI Batch API, as the store keeps it: an uploaded batch input or a batch's
 * output or error file; its content is the S3 object at {@code s3Uri}.
 *
 * @param fileId {@code file-…}
 * @param accountId the account that owns it; no other sees it
 * @param filename the name it was uploaded under, or the name Quarry gave an output
 * @param purpose {@code batch} (input) or {@code batch_output}
 * @param bytes its size
 * @param createdAt when it was uploaded or written, to the millisecond
 * @param s3Uri where its content is
 */
public record OpenAiFileRecord(
    String fileId,
    String accountId,
    String filename,
    String purpose,
    long bytes,
    Instant createdAt,
    String s3Uri) {
  public OpenAiFileRecord {
    Objects.requireNonNull(fileId, "fileId");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(s3Uri, "s3Uri");
    createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
    }
  }
}
