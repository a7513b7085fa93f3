package dev.quarry.job.progress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports progress to the log only: for jobs run with {@code flink run} and no status store. */
public final class LoggingProgressReporter implements ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingProgressReporter.class);

  private final String jobId;

  public LoggingProgressReporter(String jobId) {
    this.jobId = jobId;
  }

  /** A factory for this reporter. */
  public static ProgressReporterFactory factory() {
    return LoggingProgressReporter::new;
  }

  @Override
  public void reportSubtask(int subtaskIndex, JobProgress progress) {
    LOG.info("Job {} subtask {}: {}", jobId, subtaskIndex, progress);
  }

  @Override
  public void reportFinal(long totalRecordCount, JobProgress totals) {
    LOG.info("Job {} finished: total {} {}", jobId, totalRecordCount, totals);
  }
}
