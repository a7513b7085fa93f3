package dev.quarry.controlplane.quota;

import dev.quarry.job.quota.QuotaTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The quota's side of the status store (db/migration/V2__model_quota.sql): running jobs with their
 * priority tag, their subtasks' rate figures, the grant table and the learned rates. The jobs' side
 * of the contract is {@link QuotaTables}. Runs as the store's own user (the jobs' progress role may
 * only read its grants), on a connection from the store's pool for each piece of work.
 */
final class QuotaTable {
  private static final String RUNNING_JOBS =
      "SELECT j.job_id, j.model_id, t.tag_value FROM jobs j LEFT JOIN resource_tags t"
          + " ON t.resource_arn = j.job_arn AND t.tag_key = ? WHERE j.status = 'InProgress'";
  private static final String RATES =
      "SELECT p.job_id, p.allowed_rpm, p.calls, p.throttled_calls, p.rate_limited, p.rate_updated_at"
          + " FROM job_progress p JOIN jobs j ON j.job_id = p.job_id WHERE j.status = 'InProgress'";
  private static final String UPDATE_GRANT =
      "UPDATE "
          + QuotaTables.GRANTS
          + " SET model_id = ?, weight = ?, requests_per_minute = ?,"
          + " tokens_per_minute = ?, reason = ?, updated_at = ? WHERE job_id = ?";
  private static final String INSERT_GRANT =
      "INSERT INTO "
          + QuotaTables.GRANTS
          + " (model_id, weight, requests_per_minute, tokens_per_minute, reason,"
          + " updated_at, job_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String DELETE_ENDED_GRANTS =
      "DELETE FROM "
          + QuotaTables.GRANTS
          + " WHERE job_id IN (SELECT job_id FROM jobs WHERE status <> 'InProgress')";
  private static final String SELECT_GRANTS =
      "SELECT job_id, model_id, weight, requests_per_minute, tokens_per_minute, reason FROM "
          + QuotaTables.GRANTS;
  private static final String SELECT_LEARNED =
      "SELECT requests_per_minute, limit_found FROM "
          + QuotaTables.LEARNED_RATES
          + " WHERE model_id = ?";
  private static final String UPDATE_LEARNED =
      "UPDATE "
          + QuotaTables.LEARNED_RATES
          + " SET requests_per_minute = ?, limit_found = ?, updated_at = ?"
          + " WHERE model_id = ?";
  private static final String INSERT_LEARNED =
      "INSERT INTO "
          + QuotaTables.LEARNED_RATES
          + " (requests_per_minute, limit_found, updated_at, model_id)"
          + " VALUES (?, ?, ?, ?)";
  private static final int MAX_REASON = 512;

  private final DataSource dataSource;

  QuotaTable(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Every InProgress job with its model and priority. */
  List<RunningJob> runningJobs() throws SQLException {
    return run(
        c -> {
          List<RunningJob> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(RUNNING_JOBS)) {
            s.setString(1, Priority.TAG);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new RunningJob(
                        rs.getString(1), rs.getString(2), Priority.ofTag(rs.getString(3))));
              }
            }
          }
          return out;
        });
  }

  /** The rate figures of every InProgress job that reported some, summed over its subtasks. */
  Map<String, JobRates> rates() throws SQLException {
    return run(
        c -> {
          Map<String, JobRates> out = new HashMap<>();
          try (PreparedStatement s = c.prepareStatement(RATES);
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              boolean reported = rs.getLong(6) > 0;
              JobRates row =
                  new JobRates(
                      rs.getDouble(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5), reported);
              out.merge(
                  rs.getString(1),
                  row,
                  (a, b) ->
                      new JobRates(
                          a.allowedPerMinute() + b.allowedPerMinute(),
                          a.calls() + b.calls(),
                          a.throttled() + b.throttled(),
                          a.rateLimited() || b.rateLimited(),
                          a.reported() || b.reported()));
            }
          }
          return out;
        });
  }

  /** Writes these grants and removes those of jobs that no longer run. */
  void writeGrants(List<Grant> grants, long nowMillis) throws SQLException {
    run(
        c -> {
          for (Grant g : grants) {
            if (writeGrant(c, UPDATE_GRANT, g, nowMillis) == 0) {
              writeGrant(c, INSERT_GRANT, g, nowMillis);
            }
          }
          try (PreparedStatement s = c.prepareStatement(DELETE_ENDED_GRANTS)) {
            s.executeUpdate();
          }
          return null;
        });
  }

  /** The grants as stored. */
  Map<String, Grant> grants() throws SQLException {
    return run(
        c -> {
          Map<String, Grant> out = new HashMap<>();
          try (PreparedStatement s = c.prepareStatement(SELECT_GRANTS);
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.put(
                  rs.getString(1),
                  new Grant(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getInt(3),
                      rs.getDouble(4),
                      rs.getDouble(5),
                      rs.getString(6)));
            }
          }
          return out;
        });
  }

  /**
   * The rate last learned for the pool {@code poolKey} ({@link QuotaPool#key()}: a model id, or
   * {@code route:<name>}, both kept in the table's {@code model_id} column).
   */
  Optional<LearnedRate> learnedRate(String poolKey) throws SQLException {
    return run(
        c -> {
          try (PreparedStatement s = c.prepareStatement(SELECT_LEARNED)) {
            s.setString(1, poolKey);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? Optional.of(new LearnedRate(rs.getDouble(1), rs.getBoolean(2)))
                  : Optional.<LearnedRate>empty();
            }
          }
        });
  }

  /** Keeps {@code rate} as the rate learned for the pool {@code poolKey}. */
  void saveLearnedRate(String poolKey, LearnedRate rate, long nowMillis) throws SQLException {
    run(
        c -> {
          if (writeLearned(c, UPDATE_LEARNED, poolKey, rate, nowMillis) == 0) {
            writeLearned(c, INSERT_LEARNED, poolKey, rate, nowMillis);
          }
          return null;
        });
  }

  private static int writeGrant(Connection c, String sql, Grant g, long nowMillis)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, g.modelId());
      s.setInt(2, g.weight());
      s.setDouble(3, g.requestsPerMinute());
      s.setDouble(4, g.tokensPerMinute());
      s.setString(
          5, g.reason().length() <= MAX_REASON ? g.reason() : g.reason().substring(0, MAX_REASON));
      s.setLong(6, nowMillis);
      s.setString(7, g.jobId());
      return s.executeUpdate();
    }
  }

  private static int writeLearned(
      Connection c, String sql, String modelId, LearnedRate rate, long nowMillis)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setDouble(1, rate.requestsPerMinute());
      s.setBoolean(2, rate.limitFound());
      s.setLong(3, nowMillis);
      s.setString(4, modelId);
      return s.executeUpdate();
    }
  }

  /** One piece of work on the connection. */
  private interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  private <T> T run(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return work.on(c);
    }
  }
}
