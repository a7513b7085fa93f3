package dev.quarry.job.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.StatusStoreAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Model-call counts, tallied and reported into the store's real run tables on an H2 database. */
class ModelCallReporterTest {
  private static final String JOB = "abcdefghijkl";
  private StatusStoreAddress address;
  private Connection keepAlive;

  @BeforeEach
  void createSchema() throws Exception {
    address = new StatusStoreAddress("jdbc:h2:mem:calls-" + UUID.randomUUID(), "sa", null);
    keepAlive = DriverManager.getConnection(address.jdbcUrl(), address.user(), "");
    try (Statement s = keepAlive.createStatement()) {
      s.execute("CREATE TABLE jobs (job_id VARCHAR(12) PRIMARY KEY)");
      s.execute("INSERT INTO jobs (job_id) VALUES ('" + JOB + "')");
    }
    RunTablesMigration.apply(keepAlive);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    keepAlive.close();
  }

  @Test
  void theTallyBucketsLatencyAndCountsFailuresByCode() {
    ModelCallTally tally = new ModelCallTally();
    for (long millis : new long[] {3, 5, 7, 400, 200_000}) {
      tally.sent();
      tally.answered(millis * 1_000_000L);
    }
    tally.failed(429, true);
    tally.failed(429, true);
    tally.failed(503, false);
    tally.retried();
    tally.sent(); // still in flight

    ModelCallCounts counts = tally.counts();
    assertThat(counts.calls()).isEqualTo(6);
    assertThat(counts.answered()).isEqualTo(5);
    assertThat(counts.throttled()).isEqualTo(2);
    assertThat(counts.retries()).isEqualTo(1);
    assertThat(counts.errorsByCode()).isEqualTo(Map.of(429, 2L, 503, 1L));
    assertThat(counts.latencySumMicros()).isEqualTo((3 + 5 + 7 + 400 + 200_000) * 1_000L);
    List<Long> buckets = counts.latencyBuckets();
    int le5 = ProgressSql.LATENCY_BOUNDS_MILLIS.indexOf(5L);
    int le10 = ProgressSql.LATENCY_BOUNDS_MILLIS.indexOf(10L);
    int le500 = ProgressSql.LATENCY_BOUNDS_MILLIS.indexOf(500L);
    assertThat(buckets.get(le5)).as("3 ms and exactly 5 ms").isEqualTo(2);
    assertThat(buckets.get(le10)).isEqualTo(1);
    assertThat(buckets.get(le500)).isEqualTo(1);
    assertThat(buckets.stream().mapToLong(Long::longValue).sum())
        .as("200 s is beyond the last bound: only in answered (+Inf)")
        .isEqualTo(4);
  }

  @Test
  void countsThatContradictEachOtherAreRefused() {
    List<Long> none = ModelCallCounts.ZERO.latencyBuckets();
    assertThatThrownBy(() -> new ModelCallCounts(1, 0, 0, 2, 0, none, Map.of()))
        .hasMessageContaining("inconsistent");
    assertThatThrownBy(() -> new ModelCallCounts(2, 2, 0, 1, 0, none, Map.of()))
        .hasMessageContaining("inconsistent");
    assertThatThrownBy(() -> new ModelCallCounts(1, 0, 0, 1, 0, List.of(1L), Map.of()))
        .hasMessageContaining("one latency bucket per bound");
  }

  @Test
  void eachRunHasItsOwnRowsSoARestoreTakesNothingBack() throws Exception {
    ModelCallTally first = new ModelCallTally();
    try (ModelCallReporter reporter = ModelCallReporter.start(address, JOB, 0, 20, first::counts)) {
      for (int i = 0; i < 4; i++) {
        first.sent();
        first.answered(2_000_000L);
      }
      first.failed(429, true);
      first.retried();
      awaitRows("SELECT COALESCE(SUM(calls), 0) FROM job_call_runs", 4);
    }
    // The restored subtask counts from zero in a new run; the first run's calls stay counted.
    ModelCallTally second = new ModelCallTally();
    try (ModelCallReporter reporter =
        ModelCallReporter.start(address, JOB, 0, 60_000, second::counts)) {
      second.sent();
      second.answered(30_000_000L);
      second.failed(429, true);
      second.sent();
      second.answered(1_000_000L);
      second.failed(500, false);
    } // closing reports the last counts though the interval never came

    assertThat(query("SELECT COUNT(*) FROM job_call_runs")).isEqualTo(2);
    assertThat(query("SELECT SUM(calls) FROM job_call_runs")).isEqualTo(6);
    assertThat(query("SELECT SUM(answered) FROM job_call_runs")).isEqualTo(6);
    assertThat(query("SELECT SUM(throttled) FROM job_call_runs")).isEqualTo(2);
    assertThat(query("SELECT SUM(retries) FROM job_call_runs")).isEqualTo(1);
    assertThat(query("SELECT SUM(latency_le_5ms) FROM job_call_runs")).isEqualTo(5);
    assertThat(query("SELECT SUM(latency_le_50ms) FROM job_call_runs")).isEqualTo(1);
    assertThat(query("SELECT SUM(calls) FROM job_call_errors WHERE status_code = 429"))
        .isEqualTo(2);
    assertThat(query("SELECT SUM(calls) FROM job_call_errors WHERE status_code = 500"))
        .isEqualTo(1);
    assertThat(query("SELECT COUNT(*) FROM job_call_errors")).isEqualTo(3);
  }

  @Test
  void anUnreachableStoreNeverFailsTheCalls() {
    StatusStoreAddress nowhere =
        new StatusStoreAddress(
            "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1", "u", SecretRef.inProcess("p"));
    ModelCallTally tally = new ModelCallTally();
    assertThatCode(
            () -> {
              try (ModelCallReporter reporter =
                  ModelCallReporter.start(nowhere, JOB, 0, 10, tally::counts)) {
                tally.sent();
                tally.answered(1_000_000L);
                Thread.sleep(50);
              }
            })
        .doesNotThrowAnyException();
  }

  private void awaitRows(String sql, long expected) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (query(sql) != expected) {
      assertThat(System.nanoTime()).as(sql + " reaches " + expected).isLessThan(deadline);
      Thread.sleep(10);
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
