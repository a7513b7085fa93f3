package dev.quarry.controlplane.store;

/**
 * What a job has done so far: the sums of its writers' progress rows while it runs, its final
 * report once it has finished. The total it expects is not here: validation counts that before
 * there are any of these ({@link JobRecord#totalRecordCount()}).
 *
 * @param processed records with an output line
 * @param succeeded records the model answered
 * @param failed records with an error line
 * @param inputTokens input tokens of the successful records
 * @param outputTokens output tokens of the successful records
 */
public record JobCounts(
    long processed, long succeeded, long failed, long inputTokens, long outputTokens) {

  public JobCounts {
    requireNotNegative("processed", processed);
    requireNotNegative("succeeded", succeeded);
    requireNotNegative("failed", failed);
    requireNotNegative("inputTokens", inputTokens);
    requireNotNegative("outputTokens", outputTokens);
  }

  private static void requireNotNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }
}
