package dev.quarry.job.progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A status-store table a running job reports into: rows found by {@code key} and {@code counts}
 * overwritten with absolute values, so a report can be retried or repeated without counting
 * anything twice. Both statements bind the counts first, then the key, in list order.
 *
 * <p>The control plane grants the job's database role exactly these columns of the table: SELECT on
 * the key (its WHERE), INSERT on key and counts, UPDATE on the counts.
 *
 * @param name the table
 * @param key the columns that find a row
 * @param counts the columns a report writes
 */
public record ReportTable(String name, List<String> key, List<String> counts) {
  public ReportTable {
    Objects.requireNonNull(name, "name");
    key = List.copyOf(key);
    counts = List.copyOf(counts);
    if (key.isEmpty() || counts.isEmpty()) {
      throw new IllegalArgumentException(name + ": a report table needs key and count columns");
    }
  }

  /** {@code UPDATE name SET counts = ? … WHERE key = ? …}. */
  public String update() {
    return "UPDATE "
        + name
        + " SET "
        + String.join(" = ?, ", counts)
        + " = ? WHERE "
        + String.join(" = ? AND ", key)
        + " = ?";
  }

  /** {@code INSERT INTO name (counts…, key…) VALUES (?, …)}. */
  public String insert() {
    return "INSERT INTO "
        + name
        + " ("
        + String.join(", ", columns())
        + ") VALUES ("
        + "?, ".repeat(counts.size() + key.size() - 1)
        + "?)";
  }

  /**
   * Writes one row: {@code values} are the counts, then the key, in list order. UPDATE else INSERT;
   * an INSERT that races another writer of the same row (a restarted attempt) updates instead.
   */
  public void write(Connection c, Object... values) throws SQLException {
    if (values.length != counts.size() + key.size()) {
      throw new IllegalArgumentException(
          name + ": " + (counts.size() + key.size()) + " values, was " + values.length);
    }
    if (execute(c, update(), values) == 0) {
      try {
        execute(c, insert(), values);
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        execute(c, update(), values);
      }
    }
  }

  /** SQLState of a unique-constraint violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private static int execute(Connection c, String sql, Object[] values) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setQueryTimeout(StoreConnection.TIMEOUT_SECONDS);
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      return s.executeUpdate();
    }
  }

  /** The counts, then the key: every column a report writes, in binding order. */
  public List<String> columns() {
    List<String> all = new ArrayList<>(counts);
    all.addAll(key);
    return List.copyOf(all);
  }
}
