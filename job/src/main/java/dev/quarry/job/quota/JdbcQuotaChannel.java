package dev.quarry.job.quota;

import dev.quarry.job.progress.StoreConnection;
import dev.quarry.job.spec.StatusStoreAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * One subtask's line to the status store for its quota: reads the job's grant and writes the
 * subtask's rate figures. Not thread-safe; failures are thrown for the caller to log and retry on a
 * new connection.
 */
public final class JdbcQuotaChannel implements AutoCloseable {
  /** SQLState of a unique-constraint violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final StatusStoreAddress address;
  private final String jobId;
  private final int subtask;
  private final Clock clock;
  private Connection connection;

  public JdbcQuotaChannel(StatusStoreAddress address, String jobId, int subtask, Clock clock) {
    this.address = Objects.requireNonNull(address, "address");
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.subtask = subtask;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The job's grant, or empty when the control plane has written none for it. */
  public Optional<RateGrant> readGrant() throws SQLException {
    try (PreparedStatement s = connection().prepareStatement(QuotaTables.SELECT_GRANT)) {
      s.setQueryTimeout(StoreConnection.TIMEOUT_SECONDS);
      s.setString(1, jobId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new RateGrant(rs.getDouble(1), rs.getDouble(2)))
            : Optional.empty();
      }
    } catch (SQLException | RuntimeException e) {
      drop();
      throw e;
    }
  }

  /**
   * Writes this subtask's figures onto its progress row (absolute counts, so a lost write loses
   * nothing).
   */
  public void report(RateUsage usage) throws SQLException {
    try {
      if (write(QuotaTables.UPDATE_RATE, usage) == 0) {
        try {
          write(QuotaTables.INSERT_RATE, usage);
        } catch (SQLException e) {
          if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
            throw e;
          }
          write(QuotaTables.UPDATE_RATE, usage); // the writer inserted the row meanwhile
        }
      }
    } catch (SQLException | RuntimeException e) {
      drop();
      throw e;
    }
  }

  private int write(String sql, RateUsage usage) throws SQLException {
    long now = clock.millis();
    try (PreparedStatement s = connection().prepareStatement(sql)) {
      s.setQueryTimeout(StoreConnection.TIMEOUT_SECONDS);
      int i = 1;
      if (sql.equals(QuotaTables.INSERT_RATE)) {
        s.setLong(i++, now);
      }
      s.setDouble(i++, usage.allowedRequestsPerMinute());
      s.setLong(i++, usage.calls());
      s.setLong(i++, usage.throttledCalls());
      s.setBoolean(i++, usage.rateLimited());
      s.setLong(i++, now);
      s.setString(i++, jobId);
      s.setInt(i, subtask);
      return s.executeUpdate();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = StoreConnection.open(address, jobId);
    }
    return connection;
  }

  private void drop() {
    StoreConnection.closeQuietly(connection, jobId);
    connection = null;
  }

  @Override
  public void close() {
    drop();
  }
}
