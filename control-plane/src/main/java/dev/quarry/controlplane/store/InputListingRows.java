package dev.quarry.controlplane.store;

import dev.quarry.job.listing.InputListingTable;
import dev.quarry.job.listing.ValidatedFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The control plane's side of a job's validated input listing
 * (db/migration/V8__job_input_files.sql): writes and deletes it with the statements of {@link
 * InputListingTable}, which also reads it, for the job and the control plane alike.
 */
final class InputListingRows {
  /** Rows per JDBC batch: 10,000 files in ten round trips, each a few hundred KiB at most. */
  static final int BATCH_ROWS = 1_000;

  private static final String SET_TOTAL_WHILE_VALIDATING =
      "UPDATE jobs SET total_record_count = ?, version = version + 1"
          + " WHERE job_id = ? AND status = 'Validating'";

  private InputListingRows() {}

  /**
   * Replaces the job's listing with {@code files} and sets its total to their records, if the job
   * is still Validating; false (and nothing written) if not. The UPDATE comes first: it holds the
   * job's row lock until commit, so two validations of one job (two replicas) write one after the
   * other, and the listing and the total stored are always the same validation's.
   */
  static boolean replace(Connection c, String jobId, List<ValidatedFile> files)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SET_TOTAL_WHILE_VALIDATING)) {
      s.setLong(1, ValidatedFile.totalRecords(files));
      s.setString(2, jobId);
      if (s.executeUpdate() == 0) {
        return false;
      }
    }
    delete(c, jobId);
    try (PreparedStatement s = c.prepareStatement(InputListingTable.INSERT)) {
      int ordinal = 0;
      for (ValidatedFile file : files) {
        s.setString(1, jobId);
        s.setInt(2, ordinal++);
        s.setString(3, file.path());
        s.setLong(4, file.sizeBytes());
        s.setLong(5, file.modifiedMillis());
        s.setLong(6, file.records());
        s.addBatch();
        if (ordinal % BATCH_ROWS == 0) {
          s.executeBatch();
        }
      }
      if (ordinal % BATCH_ROWS != 0) {
        s.executeBatch();
      }
    }
    return true;
  }

  /** Removes the job's listing, if it has one. */
  static void delete(Connection c, String jobId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(InputListingTable.DELETE)) {
      s.setString(1, jobId);
      s.executeUpdate();
    }
  }
}
