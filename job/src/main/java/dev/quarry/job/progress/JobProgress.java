package dev.quarry.job.progress;

import java.io.Serializable;

/**
 * Counts of a job, or of one subtask's share of it, as reported to the status store and written to
 * the manifest.
 *
 * @param processedRecordCount records with an output line (success or error)
 * @param successRecordCount records the model answered
 * @param errorRecordCount records with an error line
 * @param inputTokenCount input tokens of the successful records
 * @param outputTokenCount output tokens of the successful records
 */
public record JobProgress(
    long processedRecordCount,
    long successRecordCount,
    long errorRecordCount,
    long inputTokenCount,
    long outputTokenCount)
    implements Serializable {

  public static final JobProgress ZERO = new JobProgress(0, 0, 0, 0, 0);

  public JobProgress plus(JobProgress other) {
    return new JobProgress(
        processedRecordCount + other.processedRecordCount,
        successRecordCount + other.successRecordCount,
        errorRecordCount + other.errorRecordCount,
        inputTokenCount + other.inputTokenCount,
        outputTokenCount + other.outputTokenCount);
  }
}
