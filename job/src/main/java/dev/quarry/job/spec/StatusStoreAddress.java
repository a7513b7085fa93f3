package dev.quarry.job.spec;

import java.io.Serializable;
import java.util.Objects;

/**
 * The JDBC address of the status store the job reports progress to, reachable from every TaskManager.
 *
 * @param jdbcUrl JDBC URL, e.g. {@code jdbc:postgresql://db:5432/quarry} or an H2 server URL
 * @param user database user, may be {@code null}
 * @param password database password, may be {@code null}
 */
public record StatusStoreAddress(String jdbcUrl, String user, String password) implements Serializable {

  public StatusStoreAddress {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
  }

  @Override
  public String toString() {
    return "StatusStoreAddress[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***]";
  }
}
