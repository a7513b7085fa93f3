package dev.quarry.job.progress;

/**
 * Where a running job sends its counts: the status store, in production.
 *
 * <p>Each writer subtask reports its own absolute counts (never deltas), so a subtask restored from
 * a checkpoint simply reports its restored counts again and nothing is counted twice.
 */
public interface ProgressReporter extends AutoCloseable {

  /** The current counts of one writer subtask. */
  void reportSubtask(int subtaskIndex, JobProgress progress);

  /**
   * The job's final counts, the same as its manifest's; {@code totalRecordCount} is the manifest's
   * total.
   */
  void reportFinal(long totalRecordCount, JobProgress totals);

  @Override
  default void close() {}
}
