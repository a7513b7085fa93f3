package dev.quarry.job.testing;

import dev.quarry.job.progress.JobProgress;
import dev.quarry.job.progress.ProgressReporter;
import dev.quarry.job.progress.ProgressReporterFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A progress reporter that keeps every report in a JVM-wide registry, so a test can read what a job
 * running in the MiniCluster (same JVM) reported.
 */
public final class RecordingProgressReporter implements ProgressReporter {
  /** One report, with the time it was made. */
  public record Report(long atMillis, int subtask, JobProgress progress, long finalTotal) {
    public boolean isFinal() {
      return finalTotal >= 0;
    }
  }

  private static final Map<String, List<Report>> REPORTS = new ConcurrentHashMap<>();

  private final String jobId;

  private RecordingProgressReporter(String jobId) {
    this.jobId = jobId;
  }

  public static ProgressReporterFactory factory() {
    return RecordingProgressReporter::new;
  }

  public static List<Report> reports(String jobId) {
    return List.copyOf(REPORTS.getOrDefault(jobId, List.of()));
  }

  @Override
  public void reportSubtask(int subtaskIndex, JobProgress progress) {
    REPORTS
        .computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>())
        .add(new Report(System.currentTimeMillis(), subtaskIndex, progress, -1));
  }

  @Override
  public void reportFinal(long totalRecordCount, JobProgress totals) {
    REPORTS
        .computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>())
        .add(new Report(System.currentTimeMillis(), -1, totals, totalRecordCount));
  }
}
