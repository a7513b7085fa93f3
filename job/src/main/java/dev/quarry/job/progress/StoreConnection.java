package dev.quarry.job.progress;

import dev.quarry.job.spec.StatusStoreAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a connection to the status store from inside a task: the progress reports and the quota
 * grants of a running job both travel over connections opened here.
 */
public final class StoreConnection {
  private static final Logger LOG = LoggerFactory.getLogger(StoreConnection.class);

  /**
   * Statements run on task threads: a database that hangs must cost a report, not stall the job.
   * Seconds, as JDBC and the PostgreSQL driver count them.
   */
  public static final int TIMEOUT_SECONDS = 10;

  private StoreConnection() {}

  /**
   * A new auto-commit connection to {@code address}, named after {@code jobId} where the database
   * shows names.
   */
  public static Connection open(StatusStoreAddress address, String jobId) throws SQLException {
    loadDriver(address.jdbcUrl());
    Properties properties = new Properties();
    if (address.jdbcUrl().startsWith("jdbc:postgresql:")) {
      // Defaults only: parameters in the URL win over these properties.
      properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
      properties.setProperty("socketTimeout", Integer.toString(3 * TIMEOUT_SECONDS));
      properties.setProperty("ApplicationName", "quarry-job " + jobId);
    }
    if (address.user() != null) {
      properties.setProperty("user", address.user());
    }
    if (address.passwordRef() != null) {
      // resolved here, in the task: the spec carries only the reference
      properties.setProperty("password", address.passwordRef().resolve());
    }
    Connection connection = DriverManager.getConnection(address.jdbcUrl(), properties);
    connection.setAutoCommit(true);
    return connection;
  }

  /** Closes {@code connection} if there is one, logging rather than throwing. */
  public static void closeQuietly(Connection connection, String jobId) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("Job {}: closing the status store connection failed: {}", jobId, e.toString());
      }
    }
  }

  /**
   * Registers the driver from this class's loader. On a TaskManager the drivers come in the job
   * jar, which Flink loads in a user-code class loader that DriverManager's own service lookup does
   * not see.
   */
  private static void loadDriver(String jdbcUrl) {
    String driver =
        jdbcUrl.startsWith("jdbc:h2:")
            ? "org.h2.Driver"
            : jdbcUrl.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : null;
    if (driver == null) {
      return;
    }
    if (H2Loopback.servesOthers(jdbcUrl)) {
      // A TaskManager that finds no control plane holding the file would serve it itself: on
      // loopback only.
      H2Loopback.bind();
    }
    try {
      Class.forName(driver, true, StoreConnection.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      // DriverManager may still find it another way; if not, getConnection says so.
      LOG.debug("JDBC driver {} not on the class path", driver);
    }
  }
}
