package dev.quarry.job.listing;

import dev.quarry.job.progress.StoreConnection;
import dev.quarry.job.spec.StatusStoreAddress;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a job finds the input listing validation counted: its rows of {@link InputListingTable} in
 * the status store, read over the same JDBC address and role as its progress reports.
 *
 * @param store the status store's address, as the job's spec carries it
 * @param jobId the job whose listing this is
 */
public record StoredInputListing(StatusStoreAddress store, String jobId) implements Serializable {
  public StoredInputListing {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(jobId, "jobId");
  }

  /**
   * The job's files in listing order, or empty when the store holds none for it (a job validated by
   * an earlier release; validation never records an empty listing).
   *
   * @throws IOException when the store cannot be read: the caller must not guess another listing
   */
  public Optional<List<ValidatedFile>> read() throws IOException {
    Connection c = null;
    try {
      c = StoreConnection.open(store, jobId);
      List<ValidatedFile> files =
          InputListingTable.select(c, jobId, StoreConnection.TIMEOUT_SECONDS);
      return files.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(files));
    } catch (SQLException | RuntimeException e) {
      throw new IOException(
          "Cannot read the input listing of job "
              + jobId
              + " from the status store at "
              + store.jdbcUrl()
              + ": "
              + e.getMessage(),
          e);
    } finally {
      StoreConnection.closeQuietly(c, jobId);
    }
  }
}
