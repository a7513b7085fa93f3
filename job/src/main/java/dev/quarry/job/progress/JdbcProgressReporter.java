package dev.quarry.job.progress;

import dev.quarry.job.spec.StatusStoreAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a job's progress into the status store's database, where the control plane reads it for
 * Get.
 *
 * <p>SQL contract: {@link ProgressSql}, which the control plane also grants the job's database role
 * from. The password is resolved here, on the TaskManager, from its reference, at each new
 * connection.
 *
 * <p>Progress must never fail a job: a report that fails is logged at WARN, the connection is
 * dropped, and the next report (which carries absolute counts, so nothing is lost) tries again on a
 * new one.
 */
public final class JdbcProgressReporter implements ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcProgressReporter.class);

  /** SQLState of a unique-constraint violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  /** The final report has no later report to retry it, so it tries a few times itself. */
  private static final int FINAL_ATTEMPTS = 3;

  private static final long FINAL_RETRY_PAUSE_MILLIS = 500;

  /**
   * Reports run on the writer's task thread: a database that hangs must not stall the job's
   * checkpoints.
   */
  private static final int TIMEOUT_SECONDS = StoreConnection.TIMEOUT_SECONDS;

  private final StatusStoreAddress address;
  private final String jobId;
  private final Clock clock;

  /**
   * This reporter's run ({@link ProgressSql#RUN_KEY}): a writer restored from a checkpoint gets a
   * new reporter, so its rolled-back counts go to a new row beside the ones reported before.
   */
  private final long runId = java.util.concurrent.ThreadLocalRandom.current().nextLong();

  private Connection connection;

  /**
   * Whether the last subtask report failed: a down database is logged once, not at every report.
   */
  private boolean failing;

  JdbcProgressReporter(StatusStoreAddress address, String jobId, Clock clock) {
    this.address = Objects.requireNonNull(address, "address");
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void reportSubtask(int subtaskIndex, JobProgress progress) {
    try {
      writeSubtask(subtaskIndex, progress);
      if (failing) {
        LOG.info(
            "Job {} subtask {}: reporting progress to {} again",
            jobId,
            subtaskIndex,
            address.jdbcUrl());
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        LOG.warn(
            "Job {} subtask {}: cannot report progress to {}; will retry with the next report: {}",
            jobId,
            subtaskIndex,
            address.jdbcUrl(),
            e.toString());
      } else {
        LOG.debug(
            "Job {} subtask {}: progress report failed again: {}",
            jobId,
            subtaskIndex,
            e.toString());
      }
      failing = true;
      dropConnection();
    }
  }

  @Override
  public synchronized void reportFinal(long totalRecordCount, JobProgress totals) {
    for (int attempt = 1; attempt <= FINAL_ATTEMPTS; attempt++) {
      try {
        writeFinal(totalRecordCount, totals);
        return;
      } catch (SQLException | RuntimeException e) {
        dropConnection();
        LOG.warn(
            "Job {}: cannot report final counts to {} (attempt {} of {}): {}",
            jobId,
            address.jdbcUrl(),
            attempt,
            FINAL_ATTEMPTS,
            e.toString());
      }
      if (attempt < FINAL_ATTEMPTS && !pause(FINAL_RETRY_PAUSE_MILLIS * attempt)) {
        return;
      }
    }
  }

  @Override
  public synchronized void close() {
    dropConnection();
  }

  private void writeSubtask(int subtaskIndex, JobProgress progress) throws SQLException {
    Connection c = connection();
    // Absolute counts, so UPDATE-else-INSERT is idempotent. Each subtask owns its row; an INSERT
    // can only
    // race a restarted attempt of the same subtask, which then finds the row on the second UPDATE.
    if (execute(c, ProgressSql.UPDATE_SUBTASK, subtaskIndex, progress) == 0) {
      try {
        execute(c, ProgressSql.INSERT_SUBTASK, subtaskIndex, progress);
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        execute(c, ProgressSql.UPDATE_SUBTASK, subtaskIndex, progress);
      }
    }
    ProgressSql.PROGRESS_RUNS.write(
        c,
        progress.processedRecordCount(),
        progress.successRecordCount(),
        progress.errorRecordCount(),
        progress.inputTokenCount(),
        progress.outputTokenCount(),
        clock.millis(),
        jobId,
        subtaskIndex,
        runId);
  }

  private int execute(Connection c, String sql, int subtaskIndex, JobProgress progress)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setQueryTimeout(TIMEOUT_SECONDS);
      s.setLong(1, progress.processedRecordCount());
      s.setLong(2, progress.successRecordCount());
      s.setLong(3, progress.errorRecordCount());
      s.setLong(4, progress.inputTokenCount());
      s.setLong(5, progress.outputTokenCount());
      s.setLong(6, clock.millis());
      s.setString(7, jobId);
      s.setInt(8, subtaskIndex);
      return s.executeUpdate();
    }
  }

  private void writeFinal(long totalRecordCount, JobProgress totals) throws SQLException {
    try (PreparedStatement s = connection().prepareStatement(ProgressSql.UPDATE_FINAL)) {
      s.setQueryTimeout(TIMEOUT_SECONDS);
      s.setLong(1, totalRecordCount);
      s.setLong(2, totals.processedRecordCount());
      s.setLong(3, totals.successRecordCount());
      s.setLong(4, totals.errorRecordCount());
      s.setLong(5, totals.inputTokenCount());
      s.setLong(6, totals.outputTokenCount());
      s.setString(7, jobId);
      if (s.executeUpdate() == 0) {
        LOG.warn(
            "Job {}: the status store at {} has no such job; final counts not recorded",
            jobId,
            address.jdbcUrl());
      }
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = StoreConnection.open(address, jobId);
    }
    return connection;
  }

  private void dropConnection() {
    StoreConnection.closeQuietly(connection, jobId);
    connection = null;
  }

  private static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      // The task is being cancelled: stop retrying and let it go.
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
