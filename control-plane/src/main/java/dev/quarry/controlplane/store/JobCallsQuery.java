package dev.quarry.controlplane.store;

import dev.quarry.job.progress.ProgressSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Reads the call figures of the running jobs (the console's chart of calls and 429s). */
final class JobCallsQuery {
  private JobCallsQuery() {}

  private static final String RUNNING =
      " JOIN jobs j ON j.job_id = r.job_id WHERE j.status IN ('"
          + JobStatus.IN_PROGRESS.wireName()
          + "', '"
          + JobStatus.STOPPING.wireName()
          + "')";

  private static final String CALLS =
      "SELECT r.job_id, SUM(r.calls), SUM(r.throttled) FROM "
          + ProgressSql.CALL_RUNS.name()
          + " r"
          + RUNNING
          + " GROUP BY r.job_id";

  // allowed_rpm: the rate column the job's quota follower writes (QuotaTables.RATE_COLUMNS)
  private static final String ALLOWED =
      "SELECT r.job_id, SUM(r.allowed_rpm) FROM "
          + ProgressSql.PROGRESS_TABLE
          + " r"
          + RUNNING
          + " GROUP BY r.job_id";

  static Map<String, JobCalls> running(Connection c) throws SQLException {
    Map<String, JobCalls> out = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(CALLS);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), new JobCalls(rs.getLong(2), rs.getLong(3), 0));
      }
    }
    try (PreparedStatement s = c.prepareStatement(ALLOWED);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.merge(
            rs.getString(1),
            new JobCalls(0, 0, rs.getDouble(2)),
            (calls, allowed) ->
                new JobCalls(calls.calls(), calls.throttled(), allowed.allowedPerMinute()));
      }
    }
    return out;
  }
}
