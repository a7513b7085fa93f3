package dev.quarry.controlplane.store;

import dev.quarry.job.listing.InputListingTable;
import dev.quarry.job.progress.ProgressSql;
import dev.quarry.job.progress.ReportTable;
import dev.quarry.job.quota.QuotaTables;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.StatusStoreAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database role a job reports progress as. On PostgreSQL the store creates it (idempotently, as
 * several replicas may at once) with the grants of {@link ProgressSql} and nothing else: a
 * TaskManager can write progress rows and a job's final counts and read the input listings
 * validation recorded, but cannot change a job's status, delete rows, read other tables or columns,
 * or create tables. H2 grants whole tables only (no column privileges), so there a job reports as
 * the store's own user; its server is on loopback behind the data directory's lock file.
 */
final class ProgressRole {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressRole.class);

  /** Unquoted PostgreSQL identifiers only, so the name can go into DDL as it is. */
  private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final String DUPLICATE_OBJECT = "42710";

  /**
   * An arbitrary constant key ("qprogres" in ASCII) of the session lock replicas take turns with.
   */
  private static final long ADVISORY_LOCK = 0x717072_6f67726573L;

  private ProgressRole() {}

  /** Prepares the role (on PostgreSQL) and returns the address jobs report to. */
  static StatusStoreAddress prepare(DataSource dataSource, StoreSettings settings) {
    if (!settings.jdbcUrl().startsWith("jdbc:postgresql:") || settings.progressUser() == null) {
      String password = settings.password();
      SecretRef ref =
          password == null || password.isEmpty()
              ? null
              : settings.progressPasswordRef() != null
                  ? settings.progressPasswordRef()
                  : SecretRef.inProcess(password);
      if (settings.jdbcUrl().startsWith("jdbc:postgresql:")) {
        LOG.warn(
            "Jobs report progress as the store's own user {} (quarry.store.progress-user is blank): a "
                + "TaskManager can then change anything in the store",
            settings.user());
      }
      return new StatusStoreAddress(withoutCredentials(settings.jdbcUrl()), settings.user(), ref);
    }
    String role = settings.progressUser();
    if (!ROLE_NAME.matcher(role).matches()) {
      throw new JobStoreException(
          "quarry.store.progress-user must be a lower-case PostgreSQL name "
              + "([a-z_][a-z0-9_]*, at most 63 characters), was "
              + role,
          null);
    }
    if (role.equals(settings.user())) {
      throw new JobStoreException(
          "quarry.store.progress-user must differ from quarry.store.user: the progress role "
              + "gets only the grants progress needs",
          null);
    }
    String password =
        settings.progressPassword() != null
            ? settings.progressPassword()
            : derivedPassword(settings);
    try (Connection c = dataSource.getConnection()) {
      // Replicas starting together take turns: concurrent GRANTs on one table fail in PostgreSQL.
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK + ")");
      }
      try {
        ensureRole(c, role, password);
        grant(c, role);
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK + ")");
        }
      }
    } catch (SQLException e) {
      throw new JobStoreException(
          "Cannot prepare the progress role " + role + " in the status store: " + e.getMessage(),
          e);
    }
    SecretRef ref =
        settings.progressPasswordRef() != null
            ? settings.progressPasswordRef()
            : SecretRef.inProcess(password);
    return new StatusStoreAddress(withoutCredentials(settings.jdbcUrl()), role, ref);
  }

  /**
   * The URL without {@code user} and {@code password} parameters: a user there would override the
   * role the job is given (the drivers let URL parameters win), and a password would travel with
   * the job graph.
   */
  static String withoutCredentials(String jdbcUrl) {
    return jdbcUrl
        .replaceAll("(?i)(?<=[?&;])(user|password)=[^&;]*(&|;|$)", "")
        .replaceAll("[?&;]$", "");
  }

  /**
   * Replicas sharing a store must agree on the password without talking to each other: an HMAC of
   * the role name keyed with the store's password, as secret as that password. Without one, a
   * random password.
   */
  private static String derivedPassword(StoreSettings settings) {
    String key = settings.password();
    if (key == null || key.isEmpty()) {
      LOG.info(
          "The status store has no password, so the progress role gets a random one at each start; with "
              + "several control planes on one store set quarry.store.progress-password");
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest =
          mac.doFinal(
              ("quarry progress role " + settings.progressUser()).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static void ensureRole(Connection c, String role, String password) throws SQLException {
    c.setAutoCommit(true);
    RoleAttributes found = attributes(c, role);
    if (found == null) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE ROLE "
                + role
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
      } catch (SQLException e) {
        if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
          throw new SQLException(
              "the store user may not create roles (it needs CREATEROLE). Create the role "
                  + "yourself (CREATE ROLE "
                  + role
                  + " LOGIN PASSWORD '…'), or set quarry.store.progress-user to "
                  + "blank to let jobs report as the store user",
              e.getSQLState(),
              e);
        }
        if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
          throw e;
        }
        // Another replica created it first: the same role, carry on.
      }
      found = attributes(c, role);
    }
    if (found.powerful()) {
      throw new SQLException(
          "the role "
              + role
              + " has more than progress rights (superuser, CREATEDB, "
              + "CREATEROLE, REPLICATION, BYPASSRLS or membership in another role); name another quarry.store.progress-user");
    }
    try {
      if (!found.canLogin()) {
        try (Statement s = c.createStatement()) {
          s.execute("ALTER ROLE " + role + " LOGIN");
        }
      }
      // The driver hashes the password (SCRAM) before it is sent: the statement, and so the
      // server's log,
      // never holds it.
      c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), null);
    } catch (SQLException e) {
      if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
        throw e;
      }
      LOG.warn(
          "The store user may not change the progress role {} (made by someone else): its password is "
              + "assumed to be the one the TaskManagers are given",
          role);
    }
  }

  private record RoleAttributes(boolean canLogin, boolean powerful) {}

  private static RoleAttributes attributes(Connection c, String role) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT rolcanlogin, rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls"
                + " OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)"
                + " FROM pg_roles r WHERE rolname = ?")) {
      s.setString(1, role);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new RoleAttributes(rs.getBoolean(1), rs.getBoolean(2)) : null;
      }
    }
  }

  /** Everything the role may do, replaced in one transaction so a job never sees half of it. */
  private static void grant(Connection c, String role) throws SQLException {
    List<String> statements = new ArrayList<>();
    String schema;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_schema()")) {
      rs.next();
      schema = rs.getString(1);
    }
    statements.add(
        "REVOKE ALL ON ALL TABLES IN SCHEMA \"" + schema.replace("\"", "\"\"") + "\" FROM " + role);
    statements.add("GRANT USAGE ON SCHEMA \"" + schema.replace("\"", "\"\"") + "\" TO " + role);
    // progress rows carry the output writer's counts and the rate limiter's figures (QuotaTables)
    List<String> written = new ArrayList<>(ProgressSql.PROGRESS_COUNTS);
    written.addAll(QuotaTables.RATE_COLUMNS);
    List<String> progressColumns = new ArrayList<>(ProgressSql.PROGRESS_KEY);
    progressColumns.addAll(written);
    statements.add(
        "GRANT SELECT ("
            + String.join(", ", ProgressSql.PROGRESS_KEY)
            + "), INSERT ("
            + String.join(", ", progressColumns)
            + "), UPDATE ("
            + String.join(", ", written)
            + ") ON "
            + ProgressSql.PROGRESS_TABLE
            + " TO "
            + role);
    statements.add(
        "GRANT SELECT ("
            + String.join(", ", QuotaTables.GRANT_COLUMNS)
            + ") ON "
            + QuotaTables.GRANTS
            + " TO "
            + role);
    statements.add(
        "GRANT SELECT ("
            + String.join(", ", ProgressSql.JOBS_KEY)
            + "), UPDATE ("
            + String.join(", ", ProgressSql.FINAL_COUNTS)
            + ") ON "
            + ProgressSql.JOBS_TABLE
            + " TO "
            + role);
    // the input listing validation counted, which the job's source reads in place of listing S3
    statements.add(
        "GRANT SELECT ("
            + String.join(", ", InputListingTable.COLUMNS)
            + ") ON "
            + InputListingTable.NAME
            + " TO "
            + role);
    // one row per run of each reporting subtask (ProgressSql.RUN_TABLES): found by key, counts
    // overwritten, nothing read back
    for (ReportTable table : ProgressSql.RUN_TABLES) {
      statements.add(
          "GRANT SELECT ("
              + String.join(", ", table.key())
              + "), INSERT ("
              + String.join(", ", table.columns())
              + "), UPDATE ("
              + String.join(", ", table.counts())
              + ") ON "
              + table.name()
              + " TO "
              + role);
    }
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
