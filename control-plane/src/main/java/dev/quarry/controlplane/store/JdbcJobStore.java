package dev.quarry.controlplane.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quarry.job.listing.InputListingTable;
import dev.quarry.job.listing.ValidatedFile;
import dev.quarry.job.progress.H2Loopback;
import dev.quarry.job.spec.StatusStoreAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The status store on a JDBC database: an H2 file by default, PostgreSQL in production.
 *
 * <p>Every status change is one conditional {@code UPDATE … WHERE status IN (…)}, so the database,
 * not a read in some JVM, decides which of several replicas moves a job.
 */
public final class JdbcJobStore implements JobStore {
  /** SQLState of a unique-constraint violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * Attempts of a write that can lose an insert race to another writer and then simply succeeds as
   * an update.
   */
  private static final int RACE_ATTEMPTS = 5;

  private final StoreSettings settings;
  private final HikariDataSource dataSource;
  private final StatusStoreAddress progressAddress;
  private final StatusEvents events;
  private final List<String> eventDestinations;
  private final JdbcEventOutbox outbox;

  private JdbcJobStore(
      StoreSettings settings,
      HikariDataSource dataSource,
      StatusStoreAddress progressAddress,
      StatusEvents events) {
    this.settings = settings;
    this.dataSource = dataSource;
    this.progressAddress = progressAddress;
    this.events = events;
    this.eventDestinations = List.copyOf(events.destinations());
    this.outbox = new JdbcEventOutbox(dataSource);
  }

  /** {@link #open(StoreSettings, StatusEvents)} with no event destinations. */
  public static JdbcJobStore open(StoreSettings settings) {
    return open(settings, StatusEvents.NONE);
  }

  /**
   * Connects to the database and brings its schema up to date (Flyway, {@code db/migration});
   * several replicas may do this at once, Flyway serialises them. Every status change, from now on,
   * also queues {@code events}' event for each of its destinations in the change's own transaction.
   */
  public static JdbcJobStore open(StoreSettings settings, StatusEvents events) {
    Objects.requireNonNull(events, "events");
    if (H2Loopback.servesOthers(settings.jdbcUrl())) {
      H2Loopback.bind();
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("quarry-status-store");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.maxPoolSize());
    // Idle connections cost an H2 file nothing but cost a shared PostgreSQL a backend each.
    config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new JobStoreException("Cannot connect to the status store at " + settings.jdbcUrl(), e);
    }
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw new JobStoreException("Cannot migrate the status store at " + settings.jdbcUrl(), e);
    }
    StatusStoreAddress progressAddress;
    try {
      progressAddress = ProgressRole.prepare(dataSource, settings);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new JdbcJobStore(settings, dataSource, progressAddress, events);
  }

  @Override
  public CreateResult createIfAbsent(JobRecord job) {
    Objects.requireNonNull(job, "job");
    try {
      // The job and its Submitted event commit together, or neither does.
      return new CreateResult(
          inTransactionOrThrow(
              c -> {
                try (PreparedStatement insert = c.prepareStatement(JobTable.INSERT)) {
                  JobTable.bindInsert(insert, job);
                  insert.executeUpdate();
                }
                JobRecord stored = findOne(c, "job_id = ?", job.jobId()).orElseThrow();
                queueEvent(c, stored);
                return stored;
              }),
          true);
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new JobStoreException("Status store request failed: " + e.getMessage(), e);
      }
      // Another request with the same token won the race (or came earlier): Create is idempotent,
      // so answer with that job. The unique constraint is what makes this safe across replicas.
      // Read after the rollback: PostgreSQL refuses every statement in a transaction that failed.
      Optional<JobRecord> existing =
          job.clientRequestToken() == null
              ? Optional.empty()
              : withConnection(
                  c ->
                      findOne(
                          c,
                          "account_id = ? AND client_request_token = ?",
                          job.accountId(),
                          job.clientRequestToken()));
      return new CreateResult(
          existing.orElseThrow(
              () ->
                  new JobStoreException(
                      "A job with id " + job.jobId() + " or its ARN already exists", e)),
          false);
    }
  }

  @Override
  public Optional<JobRecord> find(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return withConnection(c -> findOne(c, "job_id = ?", jobId));
  }

  @Override
  public JobPage list(JobQuery query) {
    Objects.requireNonNull(query, "query");
    NextToken after = query.nextToken() == null ? null : NextToken.decode(query);
    boolean ascending = query.sortOrder() == SortOrder.ASCENDING;

    StringBuilder where = new StringBuilder("1 = 1");
    List<Object> args = new ArrayList<>();
    if (query.accountId() != null) {
      where.append(" AND account_id = ?");
      args.add(query.accountId());
    }
    if (query.submitTimeAfter() != null) {
      where.append(" AND submit_time > ?");
      args.add(query.submitTimeAfter().toEpochMilli());
    }
    if (query.submitTimeBefore() != null) {
      where.append(" AND submit_time < ?");
      args.add(query.submitTimeBefore().toEpochMilli());
    }
    if (query.statusEquals() != null) {
      where.append(" AND status = ?");
      args.add(query.statusEquals().wireName());
    }
    if (query.nameContains() != null) {
      where.append(" AND job_name LIKE ? ESCAPE '!'");
      args.add("%" + likeLiteral(query.nameContains()) + "%");
    }
    if (after != null) {
      // Keyset paging: strictly past the last job of the previous page, in the page order. Spelled
      // out
      // rather than as a row-value comparison, which H2 and PostgreSQL plan differently.
      String cmp = ascending ? ">" : "<";
      where
          .append(" AND (submit_time ")
          .append(cmp)
          .append(" ? OR (submit_time = ? AND job_id ")
          .append(cmp)
          .append(" ?))");
      args.add(after.submitTimeMillis());
      args.add(after.submitTimeMillis());
      args.add(after.jobId());
    }
    String direction = ascending ? "ASC" : "DESC";
    String order = "submit_time " + direction + ", job_id " + direction;
    // One row more than the page tells whether there is a next page without a count query.
    args.add(query.maxResults() + 1);

    List<JobRecord> rows =
        withConnection(
            c ->
                findAll(
                    c, where + " ORDER BY " + order + " FETCH FIRST ? ROWS ONLY", args.toArray()));
    if (rows.size() <= query.maxResults()) {
      return new JobPage(rows, null);
    }
    List<JobRecord> page = rows.subList(0, query.maxResults());
    JobRecord last = page.get(page.size() - 1);
    return new JobPage(
        page, new NextToken(last.submitTime().toEpochMilli(), last.jobId()).encode(query));
  }

  @Override
  public Optional<JobRecord> transition(
      String jobId, Set<JobStatus> from, JobStatus to, StatusChange change) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(change, "change");
    if (from == null || from.isEmpty()) {
      throw new IllegalArgumentException("from must name at least one status");
    }
    for (JobStatus status : from) {
      if (!status.canMoveTo(to)) {
        throw new IllegalStateException(
            "A job cannot move from " + status.wireName() + " to " + to.wireName());
      }
    }
    StringBuilder sql =
        new StringBuilder(
            "UPDATE jobs SET status = ?, last_modified_time = ?, version = version + 1");
    List<Object> args = new ArrayList<>();
    args.add(to.wireName());
    args.add(change.at().toEpochMilli());
    if (to.isTerminal()) {
      sql.append(", end_time = ?");
      args.add(change.at().toEpochMilli());
    }
    if (change.message() != null) {
      sql.append(", message = ?");
      args.add(JobTable.boundedMessage(change.message()));
    }
    sql.append(" WHERE job_id = ? AND status IN (").append(placeholders(from.size())).append(")");
    args.add(jobId);
    for (JobStatus status : from) {
      args.add(status.wireName());
    }
    // The read shares the update's transaction: the row stays locked until commit, so what is
    // returned is
    // exactly this move, not a later one by another replica.
    return inTransaction(
        c -> {
          if (execute(c, sql.toString(), args.toArray()) == 0) {
            return Optional.empty();
          }
          if (to.isTerminal()) {
            InputListingRows.delete(c, jobId);
          }
          Optional<JobRecord> moved = findOne(c, "job_id = ?", jobId);
          // In the same transaction: the change and its event commit together, or neither does.
          if (moved.isPresent()) {
            queueEvent(c, moved.get());
          }
          return moved;
        });
  }

  /** Queues the event announcing {@code job}'s new status for every destination. */
  private void queueEvent(Connection c, JobRecord job) throws SQLException {
    if (!eventDestinations.isEmpty()) {
      EventTable.insert(c, eventDestinations, job, events.of(job));
    }
  }

  @Override
  public EventOutbox outbox() {
    return outbox;
  }

  @Override
  public boolean update(String jobId, long expectedVersion, Consumer<JobRecord.Builder> changes) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(changes, "changes");
    return withConnection(
        c -> {
          Optional<JobRecord> stored = findOne(c, "job_id = ?", jobId);
          if (stored.isEmpty() || stored.get().version() != expectedVersion) {
            return false;
          }
          JobRecord before = stored.get();
          JobRecord.Builder builder = before.toBuilder();
          changes.accept(builder);
          JobRecord after = builder.build();
          requireOnlyUpdatableChanges(before, after);

          StringBuilder sql = new StringBuilder("UPDATE jobs SET version = version + 1");
          List<Object> args = new ArrayList<>();
          // Only what changed is written: the job's own reports (total_record_count at the end)
          // must not be
          // overwritten with what this replica read a moment ago.
          if (!Objects.equals(before.flinkJobId(), after.flinkJobId())) {
            sql.append(", flink_job_id = ?");
            args.add(after.flinkJobId());
          }
          if (!Objects.equals(before.totalRecordCount(), after.totalRecordCount())) {
            sql.append(", total_record_count = ?");
            args.add(after.totalRecordCount());
          }
          if (!Objects.equals(before.jobExpirationTime(), after.jobExpirationTime())) {
            sql.append(", job_expiration_time = ?");
            args.add(after.jobExpirationTime());
          }
          if (before.stopRequested() != after.stopRequested()) {
            sql.append(", stop_requested = ?");
            args.add(after.stopRequested());
          }
          if (!before.lastModifiedTime().equals(after.lastModifiedTime())) {
            sql.append(", last_modified_time = ?");
            args.add(after.lastModifiedTime());
          }
          sql.append(" WHERE job_id = ? AND version = ?");
          args.add(jobId);
          args.add(expectedVersion);
          return execute(c, sql.toString(), args.toArray()) == 1;
        });
  }

  private static void requireOnlyUpdatableChanges(JobRecord before, JobRecord after) {
    JobRecord withUpdatablesReset =
        after.toBuilder()
            .flinkJobId(before.flinkJobId())
            .totalRecordCount(before.totalRecordCount())
            .jobExpirationTime(before.jobExpirationTime())
            .stopRequested(before.stopRequested())
            .lastModifiedTime(before.lastModifiedTime())
            .build();
    if (!withUpdatablesReset.equals(before)) {
      throw new IllegalArgumentException(
          "update may change only flinkJobId, totalRecordCount, jobExpirationTime, stopRequested and"
              + " lastModifiedTime (use transition to change the status); was asked to turn "
              + before
              + " into "
              + after);
    }
  }

  @Override
  public boolean recordValidatedInput(String jobId, List<ValidatedFile> files) {
    Objects.requireNonNull(jobId, "jobId");
    if (files.isEmpty()) {
      throw new IllegalArgumentException("validation passes only with input files");
    }
    return inTransaction(c -> InputListingRows.replace(c, jobId, files));
  }

  @Override
  public List<ValidatedFile> validatedInput(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return withConnection(c -> InputListingTable.select(c, jobId, 0));
  }

  @Override
  public Optional<JobRecord> findByClientRequestToken(String accountId, String clientRequestToken) {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(clientRequestToken, "clientRequestToken");
    return withConnection(
        c ->
            findOne(
                c, "account_id = ? AND client_request_token = ?", accountId, clientRequestToken));
  }

  @Override
  public int countByStatus(String accountId, Set<JobStatus> statuses) {
    Objects.requireNonNull(accountId, "accountId");
    if (statuses.isEmpty()) {
      return 0;
    }
    List<Object> args = new ArrayList<>();
    args.add(accountId);
    statuses.forEach(s -> args.add(s.wireName()));
    return withConnection(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM jobs WHERE account_id = ? AND status IN ("
                      + placeholders(statuses.size())
                      + ")")) {
            bind(s, args.toArray());
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  @Override
  public List<JobRecord> findByStatus(Set<JobStatus> statuses) {
    Objects.requireNonNull(statuses, "statuses");
    if (statuses.isEmpty()) {
      return List.of();
    }
    Object[] args = statuses.stream().map(JobStatus::wireName).toArray();
    return withConnection(
        c ->
            findAll(
                c,
                "status IN ("
                    + placeholders(args.length)
                    + ") ORDER BY submit_time ASC, job_id ASC",
                args));
  }

  @Override
  public void tag(String resourceArn, Map<String, String> tags) {
    Objects.requireNonNull(resourceArn, "resourceArn");
    // Sorted keys: two concurrent taggers of one resource lock its rows in the same order, never in
    // a cycle.
    Map<String, String> sorted = new TreeMap<>(tags);
    if (sorted.isEmpty()) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        inTransactionOrThrow(
            c -> {
              for (Map.Entry<String, String> tag : sorted.entrySet()) {
                int updated =
                    execute(
                        c,
                        "UPDATE resource_tags SET tag_value = ? WHERE resource_arn = ? AND tag_key = ?",
                        tag.getValue(),
                        resourceArn,
                        tag.getKey());
                if (updated == 0) {
                  execute(
                      c,
                      "INSERT INTO resource_tags (resource_arn, tag_key, tag_value) VALUES (?, ?, ?)",
                      resourceArn,
                      tag.getKey(),
                      tag.getValue());
                }
              }
              return null;
            });
        return;
      } catch (SQLException e) {
        // A concurrent tagger inserted the same key first; the next attempt updates it instead.
        if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt >= RACE_ATTEMPTS) {
          throw new JobStoreException("Cannot tag " + resourceArn, e);
        }
      }
    }
  }

  @Override
  public void untag(String resourceArn, Collection<String> keys) {
    Objects.requireNonNull(resourceArn, "resourceArn");
    Set<String> distinct = new LinkedHashSet<>(keys);
    if (distinct.isEmpty()) {
      return;
    }
    List<Object> args = new ArrayList<>();
    args.add(resourceArn);
    args.addAll(distinct);
    withConnection(
        c ->
            execute(
                c,
                "DELETE FROM resource_tags WHERE resource_arn = ? AND tag_key IN ("
                    + placeholders(distinct.size())
                    + ")",
                args.toArray()));
  }

  @Override
  public Map<String, String> tags(String resourceArn) {
    Objects.requireNonNull(resourceArn, "resourceArn");
    return withConnection(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT tag_key, tag_value FROM resource_tags WHERE resource_arn = ?")) {
            s.setString(1, resourceArn);
            // Sorted here, not by ORDER BY: the databases' collations may order text differently.
            TreeMap<String, String> tags = new TreeMap<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                tags.put(rs.getString(1), rs.getString(2));
              }
            }
            return Collections.unmodifiableSortedMap(tags);
          }
        });
  }

  /**
   * The pool, as the store's own user, for the control plane's other tables of the same database
   * ({@link JdbcOpenAiStore}, the quota's grants, {@link StoreLease}).
   */
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public StoreTotals totals() {
    return withConnection(TotalsQuery::read);
  }

  @Override
  public Map<String, JobCalls> runningJobCalls() {
    return withConnection(JobCallsQuery::running);
  }

  @Override
  public StatusStoreAddress progressAddress() {
    // The same URL works from a TaskManager: PostgreSQL is a server anyway, and an H2 file opened
    // with
    // AUTO_SERVER=TRUE is served over TCP (on loopback) by whichever process opened it first.
    return progressAddress;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  @Override
  public String toString() {
    return "JdbcJobStore[" + settings + "]";
  }

  // --- reading jobs ---

  private static Optional<JobRecord> findOne(Connection c, String where, Object... args)
      throws SQLException {
    List<JobRecord> jobs = findAll(c, where, args);
    return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
  }

  /** The jobs a {@code WHERE} clause (with any ORDER BY) selects, with their live counts. */
  private static List<JobRecord> findAll(Connection c, String whereAndOrder, Object... args)
      throws SQLException {
    List<JobRecord> jobs = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + JobTable.COLUMNS + " FROM jobs WHERE " + whereAndOrder)) {
      bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          jobs.add(JobTable.read(rs));
        }
      }
    }
    return withLiveCounts(c, jobs);
  }

  /**
   * Fills in the counts of jobs that have not reported final counts with the sums of their
   * subtasks' progress rows. A second query rather than a join: it reads only the progress of the
   * jobs at hand.
   */
  private static List<JobRecord> withLiveCounts(Connection c, List<JobRecord> jobs)
      throws SQLException {
    List<String> running =
        jobs.stream()
            .filter(j -> j.counts() == null)
            .map(JobRecord::jobId)
            .collect(Collectors.toList());
    if (running.isEmpty()) {
      return jobs;
    }
    Map<String, JobCounts> sums = new HashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT job_id, SUM(processed), SUM(success), SUM(errors), SUM(input_tokens), SUM(output_tokens)"
                + " FROM job_progress WHERE job_id IN ("
                + placeholders(running.size())
                + ") GROUP BY job_id")) {
      bind(s, running.toArray());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          sums.put(
              rs.getString(1),
              new JobCounts(
                  rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
        }
      }
    }
    if (sums.isEmpty()) {
      return jobs;
    }
    List<JobRecord> withCounts = new ArrayList<>(jobs.size());
    for (JobRecord job : jobs) {
      JobCounts sum = job.counts() == null ? sums.get(job.jobId()) : null;
      withCounts.add(sum == null ? job : job.toBuilder().counts(sum).build());
    }
    return withCounts;
  }

  // --- JDBC plumbing ---

  /** Work on a connection; may throw SQLException. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new JobStoreException("Status store request failed: " + e.getMessage(), e);
    }
  }

  private <T> T inTransaction(SqlWork<T> work) {
    try {
      return inTransactionOrThrow(work);
    } catch (SQLException e) {
      throw new JobStoreException("Status store request failed: " + e.getMessage(), e);
    }
  }

  private <T> T inTransactionOrThrow(SqlWork<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      // No reset of auto-commit afterwards: the pool restores it when the connection comes back.
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    }
  }

  private static int execute(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object arg = args[i];
      if (arg instanceof Instant instant) {
        s.setLong(i + 1, instant.toEpochMilli());
      } else if (arg == null) {
        // Untyped: both databases take the type from the column it is compared with or assigned to.
        s.setNull(i + 1, Types.NULL);
      } else {
        s.setObject(i + 1, arg);
      }
    }
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  /** {@code text} as a literal inside a LIKE pattern with escape character {@code !}. */
  private static String likeLiteral(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
