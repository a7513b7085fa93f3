package dev.quarry.job.spec;

import dev.quarry.job.secret.SecretRef;
import java.io.Serializable;
import java.util.Objects;

/**
 * The JDBC address of the status store the job reports progress to, reachable from every
 * TaskManager, and the database user the job reports as (on PostgreSQL a role that can only write
 * progress).
 *
 * @param jdbcUrl JDBC URL, e.g. {@code jdbc:postgresql://db:5432/quarry} or an H2 server URL
 * @param user database user, may be {@code null}
 * @param passwordRef where the TaskManager finds the user's password, or {@code null} for none
 */
public record StatusStoreAddress(String jdbcUrl, String user, SecretRef passwordRef)
    implements Serializable {

  public StatusStoreAddress {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    // The URL travels with the job graph: a password in it would be shown by Flink's REST API.
    if (jdbcUrl.toLowerCase(java.util.Locale.ROOT).matches(".*[?&;]password=.*")) {
      throw new IllegalArgumentException(
          "the status store's JDBC URL must not carry a password; give it by reference");
    }
  }
}
