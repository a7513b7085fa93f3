package dev.quarry.controlplane.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The OpenAI Batch API's files and batches in the status store (tables {@code openai_files} and
 * {@code openai_batches}, db/migration/V6__openai_batches.sql): every statement on them is here.
 *
 * <p>Changes the batch layer makes from several threads or replicas are conditional updates ({@code
 * … WHERE status = 'validating' AND job_id IS NULL}), so the database decides which one wins, and a
 * final status is never left.
 */
public final class JdbcOpenAiStore {
  private static final String FILE_COLUMNS =
      "file_id, account_id, filename, purpose, bytes, created_at, s3_uri";
  private static final String BATCH_COLUMNS =
      "batch_id, account_id, access_key, endpoint, completion_window, input_file_id, model,"
          + " metadata_json, status, errors_json, job_id, output_file_id, error_file_id, created_at,"
          + " expires_at, in_progress_at, finalizing_at, completed_at, failed_at, expired_at,"
          + " cancelling_at, cancelled_at";
  private static final String NOT_FINAL =
      "status NOT IN ('completed', 'failed', 'expired', 'cancelled')";
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;

  private JdbcOpenAiStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The files and batches in {@code jobs}' database, on its connections. */
  public static JdbcOpenAiStore on(JdbcJobStore jobs) {
    return new JdbcOpenAiStore(jobs.dataSource());
  }

  // --- files ---

  /** Stores a file; false (and nothing stored) if a file with its id exists. */
  public boolean insertFile(OpenAiFileRecord f) {
    return withConnection(
        c -> {
          try {
            return execute(
                    c,
                    "INSERT INTO openai_files (" + FILE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                    f.fileId(),
                    f.accountId(),
                    f.filename(),
                    f.purpose(),
                    f.bytes(),
                    f.createdAt(),
                    f.s3Uri())
                == 1;
          } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
              return false;
            }
            throw e;
          }
        });
  }

  /** The file with this id, if {@code accountId} owns it. */
  public Optional<OpenAiFileRecord> findFile(String accountId, String fileId) {
    return withConnection(
        c ->
            first(selectFiles(c, "file_id = ? AND account_id = ?", List.of(fileId, accountId), 1)));
  }

  /**
   * A page of the account's files, newest first (or oldest with {@code ascending}), after the file
   * {@code afterId} in that order, of one {@code purpose} or any.
   *
   * @return empty if {@code afterId} is not one of the account's files
   */
  public Optional<OpenAiPage<OpenAiFileRecord>> listFiles(
      String accountId, String purpose, String afterId, int limit, boolean ascending) {
    return withConnection(
        c -> {
          StringBuilder where = new StringBuilder("account_id = ?");
          List<Object> args = new ArrayList<>(List.of(accountId));
          if (purpose != null) {
            where.append(" AND purpose = ?");
            args.add(purpose);
          }
          if (afterId != null) {
            Optional<OpenAiFileRecord> after =
                first(
                    selectFiles(
                        c, "file_id = ? AND account_id = ?", List.of(afterId, accountId), 1));
            if (after.isEmpty()) {
              return Optional.empty();
            }
            keyset(where, args, "file_id", after.get().createdAt(), afterId, ascending);
          }
          String direction = ascending ? " ASC" : " DESC";
          where
              .append(" ORDER BY created_at")
              .append(direction)
              .append(", file_id")
              .append(direction);
          List<OpenAiFileRecord> rows = selectFiles(c, where.toString(), args, limit + 1);
          return Optional.of(page(rows, limit));
        });
  }

  /** Deletes the file if {@code accountId} owns it; whether it did. */
  public boolean deleteFile(String accountId, String fileId) {
    return withConnection(
            c ->
                execute(
                    c,
                    "DELETE FROM openai_files WHERE file_id = ? AND account_id = ?",
                    fileId,
                    accountId))
        == 1;
  }

  // --- batches ---

  /** Stores a new batch. */
  public void insertBatch(OpenAiBatchRecord b) {
    withConnection(
        c ->
            execute(
                c,
                "INSERT INTO openai_batches ("
                    + BATCH_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                b.batchId(),
                b.accountId(),
                b.accessKey(),
                b.endpoint(),
                b.completionWindow(),
                b.inputFileId(),
                b.model(),
                b.metadataJson(),
                b.status(),
                b.errorsJson(),
                b.jobId(),
                b.outputFileId(),
                b.errorFileId(),
                b.createdAt(),
                b.expiresAt(),
                b.times().inProgressAt(),
                b.times().finalizingAt(),
                b.times().completedAt(),
                b.times().failedAt(),
                b.times().expiredAt(),
                b.times().cancellingAt(),
                b.times().cancelledAt()));
  }

  /** The batch with this id, if {@code accountId} owns it. */
  public Optional<OpenAiBatchRecord> findBatch(String accountId, String batchId) {
    return withConnection(
        c ->
            first(
                selectBatches(
                    c, "batch_id = ? AND account_id = ?", List.of(batchId, accountId), 1)));
  }

  /**
   * A page of the account's batches, newest first, after the batch {@code afterId}.
   *
   * @return empty if {@code afterId} is not one of the account's batches
   */
  public Optional<OpenAiPage<OpenAiBatchRecord>> listBatches(
      String accountId, String afterId, int limit) {
    return withConnection(
        c -> {
          StringBuilder where = new StringBuilder("account_id = ?");
          List<Object> args = new ArrayList<>(List.of(accountId));
          if (afterId != null) {
            Optional<OpenAiBatchRecord> after =
                first(
                    selectBatches(
                        c, "batch_id = ? AND account_id = ?", List.of(afterId, accountId), 1));
            if (after.isEmpty()) {
              return Optional.empty();
            }
            keyset(where, args, "batch_id", after.get().createdAt(), afterId, false);
          }
          where.append(" ORDER BY created_at DESC, batch_id DESC");
          return Optional.of(page(selectBatches(c, where.toString(), args, limit + 1), limit));
        });
  }

  /** Every batch whose status is not final yet, oldest first: the batch layer's work. */
  public List<OpenAiBatchRecord> unfinishedBatches() {
    return withConnection(
        c -> selectBatches(c, NOT_FINAL + " ORDER BY created_at, batch_id", List.of(), 10_000));
  }

  /** Whether a batch that is not final reads this file. */
  public boolean fileInUse(String accountId, String fileId) {
    return withConnection(
        c ->
            !selectBatches(
                    c,
                    "account_id = ? AND input_file_id = ? AND " + NOT_FINAL,
                    List.of(accountId, fileId),
                    1)
                .isEmpty());
  }

  /**
   * Gives a validated batch its job and model, unless it left {@code validating} (it was cancelled)
   * or has a job already; whether it did.
   */
  public boolean attachJob(String batchId, String jobId, String model) {
    return withConnection(
            c ->
                execute(
                    c,
                    "UPDATE openai_batches SET job_id = ?, model = ?"
                        + " WHERE batch_id = ? AND job_id IS NULL AND status = 'validating'",
                    jobId,
                    model,
                    batchId))
        == 1;
  }

  /** Records the model the batch's requests name, found while validating. */
  public void recordModel(String batchId, String model) {
    withConnection(
        c ->
            execute(
                c,
                "UPDATE openai_batches SET model = ? WHERE batch_id = ? AND " + NOT_FINAL,
                model,
                batchId));
  }

  /**
   * Sets a time the batch reached a status, unless it is set already (the first to see it wins).
   */
  public void recordTime(String batchId, OpenAiBatchStatuses.Time time, Instant at) {
    withConnection(
        c ->
            execute(
                c,
                "UPDATE openai_batches SET "
                    + time.column
                    + " = ? WHERE batch_id = ? AND "
                    + time.column
                    + " IS NULL",
                at,
                batchId));
  }

  /**
   * Cancels a batch that has no job yet: it goes straight to {@code cancelled}. False if it has a
   * job by now, or is final.
   */
  public boolean cancelBeforeJob(String batchId, Instant at) {
    return withConnection(
            c ->
                execute(
                    c,
                    "UPDATE openai_batches SET status = 'cancelled', cancelling_at = ?,"
                        + " cancelled_at = ? WHERE batch_id = ? AND job_id IS NULL"
                        + " AND status = 'validating'",
                    at,
                    at,
                    batchId))
        == 1;
  }

  /**
   * Makes a batch final: {@code status} (completed, failed, expired or cancelled) at {@code at},
   * with its output and error files and its errors, unless it is final already; whether it did.
   */
  public boolean finish(
      String batchId,
      String status,
      Instant at,
      String outputFileId,
      String errorFileId,
      String errorsJson) {
    OpenAiBatchStatuses.Time end = OpenAiBatchStatuses.Time.endOf(status);
    return withConnection(
            c ->
                execute(
                    c,
                    "UPDATE openai_batches SET status = ?, "
                        + end.column
                        + " = ?, output_file_id = ?, error_file_id = ?,"
                        + " errors_json = COALESCE(?, errors_json)"
                        + " WHERE batch_id = ? AND "
                        + NOT_FINAL,
                    status,
                    at,
                    outputFileId,
                    errorFileId,
                    errorsJson,
                    batchId))
        == 1;
  }

  // --- rows ---

  private static List<OpenAiFileRecord> selectFiles(
      Connection c, String where, List<Object> args, int limit) throws SQLException {
    return select(
        c,
        FILE_COLUMNS,
        "openai_files",
        where,
        args,
        limit,
        rs ->
            new OpenAiFileRecord(
                rs.getString("file_id"),
                rs.getString("account_id"),
                rs.getString("filename"),
                rs.getString("purpose"),
                rs.getLong("bytes"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getString("s3_uri")));
  }

  private static List<OpenAiBatchRecord> selectBatches(
      Connection c, String where, List<Object> args, int limit) throws SQLException {
    return select(
        c,
        BATCH_COLUMNS,
        "openai_batches",
        where,
        args,
        limit,
        rs ->
            new OpenAiBatchRecord(
                rs.getString("batch_id"),
                rs.getString("account_id"),
                rs.getString("access_key"),
                rs.getString("endpoint"),
                rs.getString("completion_window"),
                rs.getString("input_file_id"),
                rs.getString("model"),
                rs.getString("metadata_json"),
                rs.getString("status"),
                rs.getString("errors_json"),
                rs.getString("job_id"),
                rs.getString("output_file_id"),
                rs.getString("error_file_id"),
                instant(rs, "created_at"),
                instant(rs, "expires_at"),
                new OpenAiBatchRecord.Times(
                    instant(rs, "in_progress_at"),
                    instant(rs, "finalizing_at"),
                    instant(rs, "completed_at"),
                    instant(rs, "failed_at"),
                    instant(rs, "expired_at"),
                    instant(rs, "cancelling_at"),
                    instant(rs, "cancelled_at"))));
  }

  /** How a row becomes a record. */
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** At most {@code limit} rows of {@code table} matching {@code where}, read by {@code reader}. */
  private static <T> List<T> select(
      Connection c,
      String columns,
      String table,
      String where,
      List<Object> args,
      int limit,
      RowReader<T> reader)
      throws SQLException {
    List<Object> all = new ArrayList<>(args);
    all.add(limit);
    List<T> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + columns
                + " FROM "
                + table
                + " WHERE "
                + where
                + " FETCH FIRST ? ROWS ONLY")) {
      bind(s, all);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(reader.read(rs));
        }
      }
    }
    return out;
  }

  /** Strictly past ({@code createdAt}, {@code id}) in the page order; spelled out as in jobs. */
  private static void keyset(
      StringBuilder where,
      List<Object> args,
      String idColumn,
      Instant createdAt,
      String id,
      boolean ascending) {
    String cmp = ascending ? ">" : "<";
    where
        .append(" AND (created_at ")
        .append(cmp)
        .append(" ? OR (created_at = ? AND ")
        .append(idColumn)
        .append(' ')
        .append(cmp)
        .append(" ?))");
    args.add(createdAt);
    args.add(createdAt);
    args.add(id);
  }

  private static <T> OpenAiPage<T> page(List<T> rows, int limit) {
    return rows.size() <= limit
        ? new OpenAiPage<>(rows, false)
        : new OpenAiPage<>(rows.subList(0, limit), true);
  }

  private static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Long millis = rs.getObject(column, Long.class);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  // --- JDBC plumbing ---

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

  private static int execute(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, Arrays.asList(args));
      return s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object arg = args.get(i);
      if (arg instanceof Instant instant) {
        s.setLong(i + 1, instant.toEpochMilli());
      } else if (arg == null) {
        s.setNull(i + 1, Types.NULL);
      } else {
        s.setObject(i + 1, arg);
      }
    }
  }
}
