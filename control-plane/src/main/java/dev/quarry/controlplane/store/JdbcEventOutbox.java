package dev.quarry.controlplane.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/** The event outbox in the status store's database (statements in {@link EventTable}). */
final class JdbcEventOutbox implements EventOutbox {
  private final DataSource dataSource;

  JdbcEventOutbox(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public List<PendingEvent> due(String destination, Instant now, int limit) {
    Objects.requireNonNull(destination, "destination");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    return run(c -> EventTable.due(c, destination, now, limit));
  }

  @Override
  public boolean claim(PendingEvent event, Instant leaseUntil) {
    return run(c -> EventTable.claim(c, event, leaseUntil));
  }

  @Override
  public void remove(long seq) {
    run(
        c -> {
          EventTable.remove(c, seq);
          return null;
        });
  }

  @Override
  public void retryAt(long seq, Instant at, String error) {
    run(
        c -> {
          EventTable.retryAt(c, seq, at, error);
          return null;
        });
  }

  @Override
  public int pending(String destination) {
    return run(c -> EventTable.pending(c, destination));
  }

  @Override
  public int trim(String destination, int keep) {
    if (keep < 0) {
      throw new IllegalArgumentException("keep must be >= 0, was " + keep);
    }
    return run(c -> EventTable.trim(c, destination, keep));
  }

  @Override
  public Set<String> destinations() {
    return run(EventTable::destinations);
  }

  @Override
  public int removeAll(String destination) {
    return run(c -> EventTable.removeAll(c, destination));
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T run(SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new JobStoreException("Event outbox request failed: " + e.getMessage(), e);
    }
  }
}
