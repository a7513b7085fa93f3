package dev.quarry.controlplane.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on PostgreSQL, the production store: one server per class, one database per
 * test.
 */
class PostgresJobStoreTest extends JobStoreContractTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected StoreSettings newDatabase() throws SQLException {
    String name = "quarry_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return StoreSettings.builder()
        .jdbcUrl(postgres.getJdbcUrl("postgres", name))
        .user("postgres")
        // The contract's progress reports then run as the role TaskManagers get: its grants
        // suffice.
        .progressUser("quarry_progress")
        .maxPoolSize(4)
        .build();
  }
}
