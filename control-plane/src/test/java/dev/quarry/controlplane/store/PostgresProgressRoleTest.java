package dev.quarry.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.quota.QuotaAllocator;
import dev.quarry.job.listing.StoredInputListing;
import dev.quarry.job.listing.ValidatedFile;
import dev.quarry.job.progress.JdbcProgressReporterFactory;
import dev.quarry.job.progress.JobProgress;
import dev.quarry.job.progress.ModelCallCounts;
import dev.quarry.job.progress.ModelCallReporter;
import dev.quarry.job.progress.ModelCallTally;
import dev.quarry.job.progress.ProgressReporter;
import dev.quarry.job.quota.JdbcQuotaChannel;
import dev.quarry.job.quota.QuotaTables;
import dev.quarry.job.quota.RateUsage;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.StatusStoreAddress;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The role TaskManagers report progress as, on a real PostgreSQL: created by a store user that is
 * no superuser (only CREATEROLE, owning its database), it writes progress and final counts and
 * nothing else.
 */
class PostgresProgressRoleTest {
  private static final String ROLE = "quarry_progress_t";
  private static final String PASSWORD = "progress-Pa55-" + System.nanoTime();
  private static EmbeddedPostgres postgres;
  private static StoreSettings settings;
  private static JdbcJobStore store;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE quarry_owner LOGIN CREATEROLE PASSWORD 'owner-pw'");
      s.execute("CREATE DATABASE quarry_roles OWNER quarry_owner");
    }
    // On PostgreSQL 15+ only the database owner may create in schema public (PUBLIC may not).
    // The user in the URL, as getJdbcUrl writes it: jobs must not be handed it (it would win over
    // the role).
    settings =
        StoreSettings.builder()
            .jdbcUrl(postgres.getJdbcUrl("quarry_owner", "quarry_roles"))
            .user("quarry_owner")
            .password("owner-pw")
            .maxPoolSize(2)
            .progressUser(ROLE)
            .progressPassword(PASSWORD)
            .progressPasswordRef(SecretRef.parse("env:QUARRY_TEST_PROGRESS_PASSWORD"))
            .build();
    store = JdbcJobStore.open(settings);
    // A second replica on the same store: the role and its grants are made again, without error.
    JdbcJobStore.open(settings).close();
  }

  @AfterAll
  static void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void jobsAreHandedTheRoleAndAReferenceToItsPassword() throws Exception {
    StatusStoreAddress address = store.progressAddress();
    assertThat(address.user()).isEqualTo(ROLE);
    assertThat(address.jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost:" + postgres.getPort() + "/quarry_roles")
        .doesNotContain("quarry_owner");
    assertThat(address.passwordRef())
        .isEqualTo(SecretRef.parse("env:QUARRY_TEST_PROGRESS_PASSWORD"));
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT rolcanlogin, rolsuper, rolcreaterole, rolpassword FROM pg_authid"
                    + " WHERE rolname = '"
                    + ROLE
                    + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).isTrue();
      assertThat(rs.getBoolean(2)).isFalse();
      assertThat(rs.getBoolean(3)).isFalse();
      assertThat(rs.getString(4))
          .as("a SCRAM verifier, never the password")
          .startsWith("SCRAM-SHA-256$")
          .doesNotContain(PASSWORD);
    }
  }

  @Test
  void theRoleWritesProgressAndFinalCounts() throws Exception {
    String jobId = newJob("writer");
    // The reporter, as a TaskManager runs it, connected as the role.
    StatusStoreAddress asRole =
        new StatusStoreAddress(
            store.progressAddress().jdbcUrl(), ROLE, SecretRef.inProcess(PASSWORD));
    try (ProgressReporter reporter = new JdbcProgressReporterFactory(asRole).create(jobId)) {
      reporter.reportSubtask(0, new JobProgress(5, 4, 1, 10, 20));
      reporter.reportSubtask(0, new JobProgress(7, 6, 1, 12, 24));
      reporter.reportSubtask(1, new JobProgress(3, 3, 0, 1, 2));
      assertThat(store.find(jobId).orElseThrow().counts().processed()).isEqualTo(10);
      reporter.reportFinal(10, new JobProgress(10, 9, 1, 13, 26));
    }
    // the rate limiter, on the same connection settings: reads its grant, writes its figures
    try (Connection owner =
            DriverManager.getConnection(
                postgres.getJdbcUrl("quarry_owner", "quarry_roles"), "quarry_owner", "owner-pw");
        Statement s = owner.createStatement()) {
      s.execute(
          "INSERT INTO "
              + QuotaTables.GRANTS
              + " (job_id, model_id, requests_per_minute, tokens_per_minute, reason,"
              + " weight, updated_at) VALUES ('"
              + jobId
              + "', 'm', 600, 0, 'test', 2, 0)");
    }
    try (JdbcQuotaChannel quota =
        new JdbcQuotaChannel(asRole, jobId, 0, java.time.Clock.systemUTC())) {
      assertThat(quota.readGrant())
          .hasValueSatisfying(g -> assertThat(g.requestsPerMinute()).isEqualTo(600));
      quota.report(new RateUsage(300, 40, 2, true));
      quota.report(new RateUsage(280, 45, 3, true));
    }
    // a model-call subtask's run figures (the V4 run tables), as the role
    ModelCallTally tally = new ModelCallTally();
    tally.sent();
    tally.answered(12_000_000L);
    tally.failed(429, true);
    tally.retried();
    tally.sent();
    tally.answered(30_000_000L);
    ModelCallReporter.start(asRole, jobId, 0, 60_000, tally::counts).close();
    ModelCallCounts calls = store.totals().calls().get("anthropic.claude-3-haiku-20240307-v1:0");
    assertThat(calls.calls()).isEqualTo(2);
    assertThat(calls.errorsByCode()).isEqualTo(java.util.Map.of(429, 1L));
    assertThat(
            store.totals().usage().stream()
                .filter(u -> u.accountId().equals("123456789012"))
                .mapToLong(u -> u.counts().processed())
                .sum())
        .as("job_progress_runs written as the role: the largest run per subtask")
        .isEqualTo(10);
    // the source enumerator reads the listing validation stored, as the role
    String validating = newValidatingJob("listed");
    List<ValidatedFile> files =
        List.of(
            new ValidatedFile("s3://in/a.jsonl", 10, 1, 2),
            new ValidatedFile("s3://in/b.jsonl", 20, 2, 3));
    assertThat(store.recordValidatedInput(validating, files)).isTrue();
    assertThat(new StoredInputListing(asRole, validating).read()).contains(files);
    JobRecord done = store.find(jobId).orElseThrow();
    assertThat(done.totalRecordCount()).isEqualTo(10);
    assertThat(done.counts().succeeded()).isEqualTo(9);
    assertThat(done.status()).isEqualTo(JobStatus.IN_PROGRESS);
  }

  @Test
  void theRoleCanDoNothingElse() throws Exception {
    String jobId = newJob("victim");
    String arn = store.find(jobId).orElseThrow().jobArn();
    store.tag(arn, java.util.Map.of("team", "a"));
    try (Connection c =
        DriverManager.getConnection(store.progressAddress().jdbcUrl(), ROLE, PASSWORD)) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_user")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(ROLE);
      }
      List<String> forbidden =
          List.of(
              "UPDATE jobs SET status = 'Completed' WHERE job_id = '" + jobId + "'",
              "UPDATE jobs SET message = 'x', end_time = 1 WHERE job_id = '" + jobId + "'",
              "UPDATE jobs SET flink_job_id = 'elsewhere' WHERE job_id = '" + jobId + "'",
              "DELETE FROM jobs WHERE job_id = '" + jobId + "'",
              "DELETE FROM job_progress",
              "INSERT INTO jobs (job_id) VALUES ('intruder0001')",
              "SELECT * FROM jobs",
              "SELECT input_config_json, role_arn FROM jobs",
              "SELECT * FROM resource_tags",
              "SELECT * FROM flyway_schema_history",
              "SELECT processed FROM job_progress",
              "TRUNCATE job_progress",
              "CREATE TABLE quarry_extra (x INT)",
              "ALTER TABLE jobs ADD COLUMN extra INT",
              "DROP TABLE job_progress",
              "UPDATE model_quota_grants SET requests_per_minute = 1000000",
              "DELETE FROM model_quota_grants",
              "INSERT INTO model_learned_rates (model_id, requests_per_minute, updated_at) VALUES ('m', 1, 0)",
              "SELECT * FROM model_learned_rates",
              "SELECT reason FROM model_quota_grants",
              "SELECT body FROM job_events",
              "SELECT COUNT(*) FROM job_events",
              "INSERT INTO job_events (event_id, destination, job_id, status, body, created_at,"
                  + " next_attempt_at) VALUES ('e', 'http://x', '"
                  + jobId
                  + "', 'Completed', '{}', 0, 0)",
              "UPDATE job_events SET attempts = 0",
              "DELETE FROM job_events",
              "SELECT processed FROM job_progress_runs",
              "SELECT calls, latency_sum_micros FROM job_call_runs",
              "SELECT status_code, calls FROM job_call_errors",
              "DELETE FROM job_call_runs",
              "DELETE FROM job_progress_runs",
              "UPDATE job_call_runs SET job_id = 'elsewhere001'",
              "UPDATE job_call_errors SET status_code = 200",
              "INSERT INTO job_input_files (job_id, ordinal, path, size_bytes, modified_at,"
                  + " records) VALUES ('"
                  + jobId
                  + "', 99, 's3://elsewhere/x.jsonl', 1, 0, 1)",
              "UPDATE job_input_files SET path = 's3://elsewhere/x.jsonl'",
              "DELETE FROM job_input_files",
              "TRUNCATE job_input_files",
              "SELECT * FROM control_plane_leases",
              "UPDATE control_plane_leases SET holder = 'intruder'",
              "SET ROLE quarry_owner",
              "CREATE ROLE another_role");
      List<String> allowed = new java.util.ArrayList<>();
      for (String sql : forbidden) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
          allowed.add(sql);
        } catch (SQLException e) {
          assertThat(e.getSQLState())
              .as(sql + ": " + e.getMessage())
              .isEqualTo("42501"); // insufficient_privilege
        }
      }
      assertThat(allowed).as("statements the progress role could run").isEmpty();
    }
    JobRecord untouched = store.find(jobId).orElseThrow();
    assertThat(untouched.status()).isEqualTo(JobStatus.IN_PROGRESS);
    assertThat(untouched.message()).isNull();
    assertThat(store.tags(arn)).containsEntry("team", "a");
  }

  @Test
  void theQuotaAllocatorDividesAsTheStoresOwnUserAndTheRoleReadsItsGrant() throws Exception {
    String jobId = newJob("shared");
    String model = store.find(jobId).orElseThrow().modelId();
    ControlPlaneConfig config =
        ControlPlaneConfig.from(
            new ConfigSource(
                java.util.Map.of("quarry.model." + model + ".requests-per-minute", "600"),
                java.util.Map.of()));
    StatusStoreAddress asRole =
        new StatusStoreAddress(
            store.progressAddress().jdbcUrl(), ROLE, SecretRef.inProcess(PASSWORD));
    try (QuotaAllocator quota =
            QuotaAllocator.create(store, config, java.time.Clock.systemUTC()).start();
        JdbcQuotaChannel channel =
            new JdbcQuotaChannel(asRole, jobId, 0, java.time.Clock.systemUTC())) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (channel.readGrant().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(channel.readGrant())
          .as("the grant the allocator wrote, read as the role")
          .hasValueSatisfying(g -> assertThat(g.requestsPerMinute()).isPositive());
    } finally {
      // Other tests' allocators must not find it running.
      store.transition(
          jobId,
          java.util.Set.of(JobStatus.IN_PROGRESS),
          JobStatus.COMPLETED,
          StatusChange.at(Instant.now()));
    }
  }

  @Test
  void aStoreUserThatCannotCreateRolesIsToldWhatToDo() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE plain_owner LOGIN PASSWORD 'plain-pw'");
      s.execute("CREATE DATABASE quarry_plain OWNER plain_owner");
    }
    StoreSettings plain =
        StoreSettings.builder()
            .jdbcUrl(postgres.getJdbcUrl("plain_owner", "quarry_plain"))
            .user("plain_owner")
            .password("plain-pw")
            .maxPoolSize(2)
            .progressUser("quarry_progress_plain")
            .build();
    assertThatThrownBy(() -> JdbcJobStore.open(plain))
        .isInstanceOf(JobStoreException.class)
        .hasMessageContaining("CREATEROLE")
        .hasMessageContaining("quarry.store.progress-user");
  }

  private static String newJob(String name) {
    return newJob(name, JobStatus.IN_PROGRESS);
  }

  private static String newValidatingJob(String name) {
    return newJob(name, JobStatus.VALIDATING);
  }

  private static String newJob(String name, JobStatus status) {
    JobRecord job =
        JobStoreContractTest.job(name, Instant.parse("2026-01-01T00:00:00Z"))
            .status(status)
            .build();
    return store.createIfAbsent(job).job().jobId();
  }
}
