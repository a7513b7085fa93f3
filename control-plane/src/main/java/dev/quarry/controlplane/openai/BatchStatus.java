package dev.quarry.controlplane.openai;

import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.OpenAiBatchRecord;

/**
 * A batch's OpenAI status, from the batch layer's own record and its job's Bedrock status:
 *
 * <ul>
 *   <li>final once the batch layer made it so (after {@code finalizing}, or a failed validation);
 *   <li>{@code validating} while the batch layer validates the input (no job yet) and while the job
 *       is Submitted or Validating;
 *   <li>{@code in_progress} while the job is Scheduled or InProgress;
 *   <li>{@code cancelling} while it is Stopping;
 *   <li>{@code finalizing} once it is Completed, Stopped or PartiallyCompleted, until the output
 *       and error files are registered ({@code completed}, {@code cancelled}, {@code expired});
 *   <li>{@code failed} and {@code expired} as soon as the job is Failed or Expired.
 * </ul>
 */
final class BatchStatus {
  static final String VALIDATING = "validating";
  static final String IN_PROGRESS = "in_progress";
  static final String FINALIZING = "finalizing";
  static final String COMPLETED = "completed";
  static final String FAILED = "failed";
  static final String EXPIRED = "expired";
  static final String CANCELLING = "cancelling";
  static final String CANCELLED = "cancelled";

  private BatchStatus() {}

  /**
   * @param job the batch's job, or {@code null} when it has none (yet, or it is gone)
   */
  static String of(OpenAiBatchRecord batch, JobRecord job) {
    if (batch.isFinal()) {
      return batch.status();
    }
    if (job == null) {
      return batch.jobId() == null ? VALIDATING : FAILED;
    }
    return switch (job.status()) {
      case SUBMITTED, VALIDATING -> VALIDATING;
      case SCHEDULED, IN_PROGRESS -> IN_PROGRESS;
      case STOPPING -> CANCELLING;
      case COMPLETED, STOPPED, PARTIALLY_COMPLETED -> FINALIZING;
      case FAILED -> FAILED;
      case EXPIRED -> EXPIRED;
    };
  }

  /** The status a batch ends in once its finished job's files are registered. */
  static String endOf(JobRecord job) {
    return switch (job.status()) {
      case COMPLETED -> COMPLETED;
      case STOPPED -> CANCELLED;
      case PARTIALLY_COMPLETED, EXPIRED -> EXPIRED;
      case FAILED -> FAILED;
      default -> throw new IllegalArgumentException("Job " + job.jobId() + " has not ended");
    };
  }
}
