package dev.quarry.job.listing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL contract of a job's validated input listing between the control plane, which writes it
 * when validation passes and deletes it when the job ends, and the job's source, which reads it
 * instead of listing the input again.
 *
 * <p>The table is created by the control plane's migration ({@code
 * db/migration/V8__job_input_files.sql}); a name changed there must be changed here. The control
 * plane grants the job's database role SELECT on {@link #COLUMNS} and nothing else on the table.
 * The SQL runs unchanged on H2 and PostgreSQL.
 */
public final class InputListingTable {
  private InputListingTable() {}

  /** One row per input file of a job that passed validation and has not ended. */
  public static final String NAME = "job_input_files";

  /** Every column, in {@link #INSERT}'s binding order. */
  public static final List<String> COLUMNS =
      List.of("job_id", "ordinal", "path", "size_bytes", "modified_at", "records");

  /** Binds {@link #COLUMNS} in order; {@code ordinal} counts from 0 in listing order. */
  public static final String INSERT =
      "INSERT INTO "
          + NAME
          + " ("
          + String.join(", ", COLUMNS)
          + ") VALUES ("
          + "?, ".repeat(COLUMNS.size() - 1)
          + "?)";

  /** A job's files in listing order: path, size_bytes, modified_at, records. */
  public static final String SELECT =
      "SELECT path, size_bytes, modified_at, records FROM "
          + NAME
          + " WHERE job_id = ? ORDER BY ordinal";

  /** Every row of a job. */
  public static final String DELETE = "DELETE FROM " + NAME + " WHERE job_id = ?";

  /** The job's files in listing order ({@link #SELECT}); empty if it has none. */
  public static List<ValidatedFile> select(Connection c, String jobId, int timeoutSeconds)
      throws SQLException {
    List<ValidatedFile> files = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(SELECT)) {
      s.setQueryTimeout(timeoutSeconds);
      s.setString(1, jobId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          files.add(
              new ValidatedFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return files;
  }
}
