package dev.quarry.job.progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The control plane's real migration of the run tables ({@code V4}), run on a test database that
 * already has the {@code jobs} table: the reporters here are tested against the schema the store
 * really has.
 */
final class RunTablesMigration {
  private static final Path FILE =
      Path.of("..", "control-plane", "src", "main", "resources", "db", "migration")
          .resolve("V4__job_run_reports.sql");

  private RunTablesMigration() {}

  static void apply(Connection c) throws SQLException, IOException {
    StringBuilder sql = new StringBuilder();
    for (String line : Files.readAllLines(FILE)) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    try (Statement s = c.createStatement()) {
      for (String statement : sql.toString().split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }
}
