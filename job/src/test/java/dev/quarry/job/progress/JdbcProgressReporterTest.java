package dev.quarry.job.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.StatusStoreAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reporter against an in-memory H2 database with the part of the status store's schema it
 * writes. The full round trip through the control plane's store is tested there
 * (JobStoreContractTest).
 */
class JdbcProgressReporterTest {
  private StatusStoreAddress address;
  private Connection keepAlive;

  @BeforeEach
  void createSchema() throws Exception {
    address = new StatusStoreAddress("jdbc:h2:mem:progress-" + UUID.randomUUID(), "sa", null);
    keepAlive = DriverManager.getConnection(address.jdbcUrl(), address.user(), "");
    try (Statement s = keepAlive.createStatement()) {
      // The columns this reporter writes, as in control-plane's db/migration/V1__quarry_schema.sql.
      s.execute(
          "CREATE TABLE jobs (job_id VARCHAR(12) PRIMARY KEY, total_record_count BIGINT,"
              + " processed_record_count BIGINT, success_record_count BIGINT, error_record_count BIGINT,"
              + " input_token_count BIGINT, output_token_count BIGINT, counts_final BOOLEAN DEFAULT FALSE NOT NULL)");
      s.execute(
          "CREATE TABLE job_progress (job_id VARCHAR(12) NOT NULL, subtask INTEGER NOT NULL,"
              + " processed BIGINT NOT NULL, success BIGINT NOT NULL, errors BIGINT NOT NULL,"
              + " input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
              + " PRIMARY KEY (job_id, subtask))");
      s.execute("INSERT INTO jobs (job_id) VALUES ('abcdefghijkl')");
    }
    RunTablesMigration.apply(keepAlive);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    keepAlive.close();
  }

  @Test
  void subtaskReportsOverwriteTheSubtasksRowWithAbsoluteCounts() throws SQLException {
    ProgressReporterFactory factory = new JdbcProgressReporterFactory(address);
    try (ProgressReporter first = factory.create("abcdefghijkl");
        ProgressReporter second = factory.create("abcdefghijkl")) {
      first.reportSubtask(0, new JobProgress(1, 1, 0, 10, 20));
      second.reportSubtask(1, new JobProgress(2, 1, 1, 5, 6));
      first.reportSubtask(0, new JobProgress(3, 2, 1, 30, 40));
    }

    assertThat(query("SELECT COUNT(*) FROM job_progress")).isEqualTo(2);
    assertThat(query("SELECT SUM(processed) FROM job_progress")).isEqualTo(5);
    assertThat(
            query(
                "SELECT processed * 1000 + success * 100 + errors FROM job_progress WHERE subtask = 0"))
        .isEqualTo(3201);
    assertThat(query("SELECT input_tokens + output_tokens FROM job_progress WHERE subtask = 0"))
        .isEqualTo(70);
  }

  @Test
  void aRestoredWriterReportsIntoANewRunAndTakesNothingBack() throws SQLException {
    ProgressReporterFactory factory = new JdbcProgressReporterFactory(address);
    try (ProgressReporter failed = factory.create("abcdefghijkl")) {
      failed.reportSubtask(0, new JobProgress(8, 8, 0, 80, 160));
    }
    // restored from a checkpoint taken at 5 records: job_progress goes back, the runs keep the 8
    try (ProgressReporter restored = factory.create("abcdefghijkl")) {
      restored.reportSubtask(0, new JobProgress(5, 5, 0, 50, 100));
      assertThat(query("SELECT processed FROM job_progress WHERE subtask = 0")).isEqualTo(5);
      assertThat(query("SELECT COUNT(*) FROM job_progress_runs")).isEqualTo(2);
      assertThat(query("SELECT MAX(processed) FROM job_progress_runs")).isEqualTo(8);
      restored.reportSubtask(0, new JobProgress(9, 8, 1, 90, 180));
    }
    assertThat(query("SELECT COUNT(*) FROM job_progress_runs")).isEqualTo(2);
    assertThat(query("SELECT MAX(processed) FROM job_progress_runs")).isEqualTo(9);
    assertThat(query("SELECT MAX(output_tokens) FROM job_progress_runs")).isEqualTo(180);
  }

  @Test
  void finalReportSetsTheJobsFinalCountsAndTotal() throws SQLException {
    try (ProgressReporter reporter =
        new JdbcProgressReporterFactory(address).create("abcdefghijkl")) {
      reporter.reportFinal(7, new JobProgress(6, 4, 2, 100, 200));
    }

    try (Statement s = keepAlive.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM jobs WHERE job_id = 'abcdefghijkl'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong("total_record_count")).isEqualTo(7);
      assertThat(rs.getLong("processed_record_count")).isEqualTo(6);
      assertThat(rs.getLong("success_record_count")).isEqualTo(4);
      assertThat(rs.getLong("error_record_count")).isEqualTo(2);
      assertThat(rs.getLong("input_token_count")).isEqualTo(100);
      assertThat(rs.getLong("output_token_count")).isEqualTo(200);
      assertThat(rs.getBoolean("counts_final")).isTrue();
    }
  }

  @Test
  void aFailingReportIsNotThrownAndTheNextOneSucceeds() throws SQLException {
    try (Statement s = keepAlive.createStatement()) {
      s.execute("ALTER TABLE job_progress RENAME TO job_progress_away");
    }
    try (ProgressReporter reporter =
        new JdbcProgressReporterFactory(address).create("abcdefghijkl")) {
      assertThatCode(() -> reporter.reportSubtask(0, new JobProgress(1, 1, 0, 0, 0)))
          .doesNotThrowAnyException();

      try (Statement s = keepAlive.createStatement()) {
        s.execute("ALTER TABLE job_progress_away RENAME TO job_progress");
      }
      reporter.reportSubtask(0, new JobProgress(2, 2, 0, 0, 0));
    }
    assertThat(query("SELECT processed FROM job_progress WHERE subtask = 0")).isEqualTo(2);
  }

  @Test
  void anUnreachableStoreNeverFailsTheJob() {
    StatusStoreAddress nowhere =
        new StatusStoreAddress(
            "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1", "u", SecretRef.inProcess("p"));
    try (ProgressReporter reporter =
        new JdbcProgressReporterFactory(nowhere).create("abcdefghijkl")) {
      assertThatCode(
              () -> {
                reporter.reportSubtask(0, new JobProgress(1, 1, 0, 0, 0));
                reporter.reportFinal(1, new JobProgress(1, 1, 0, 0, 0));
              })
          .doesNotThrowAnyException();
    }
  }

  private long query(String sql) throws SQLException {
    try (Statement s = keepAlive.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
