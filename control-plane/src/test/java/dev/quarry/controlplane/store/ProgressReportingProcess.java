package dev.quarry.controlplane.store;

import dev.quarry.job.progress.JdbcProgressReporterFactory;
import dev.quarry.job.progress.JobProgress;
import dev.quarry.job.progress.ProgressReporter;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.StatusStoreAddress;

/**
 * A stand-in TaskManager for {@link H2JobStoreTest}: reports one subtask's progress from its own
 * JVM.
 */
public final class ProgressReportingProcess {
  static final long PROCESSED = 17;

  private ProgressReportingProcess() {}

  /** Arguments: JDBC URL, user, password reference ({@code -} for none), job id. */
  public static void main(String[] args) {
    StatusStoreAddress address =
        new StatusStoreAddress(
            args[0], args[1], "-".equals(args[2]) ? null : SecretRef.parse(args[2]));
    try (ProgressReporter reporter = new JdbcProgressReporterFactory(address).create(args[3])) {
      reporter.reportSubtask(0, new JobProgress(PROCESSED, PROCESSED, 0, 1, 2));
    }
  }
}
