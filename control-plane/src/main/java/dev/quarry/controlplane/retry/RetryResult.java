package dev.quarry.controlplane.retry;

/**
 * What a retry did.
 *
 * @param oldJobArn the ended job
 * @param oldStatus its status, as Bedrock names it
 * @param counts the records picked, per reason
 * @param inputUri the retry's input prefix, or {@code null} when nothing was picked
 * @param newJobArn the job created, or {@code null} when nothing was picked
 * @param newJobName its name, or {@code null}
 */
public record RetryResult(
    String oldJobArn,
    String oldStatus,
    RetryCounts counts,
    String inputUri,
    String newJobArn,
    String newJobName) {

  public RetryResult {
    if ((inputUri == null) != (newJobArn == null)) {
      throw new IllegalArgumentException("A retry has both an input and a job, or neither");
    }
  }

  /** Whether a job was created (there was something to retry). */
  public boolean created() {
    return newJobArn != null;
  }
}
