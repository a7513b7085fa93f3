package dev.quarry.controlplane.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A named lease in the status store ({@code control_plane_leases}, V7) that one control plane at a
 * time holds, for work every replica could do but only one should: it is taken or renewed with one
 * conditional write, so two replicas never both hold it, and a holder that stops renewing loses it
 * when its time runs out.
 *
 * <p>Expiry is judged on the callers' clocks, so replicas' clocks must agree to well within the
 * lease's length (NTP does that; the default length is seconds).
 */
public final class StoreLease {
  private static final String TAKE =
      "UPDATE control_plane_leases SET holder = ?, expires_at = ?"
          + " WHERE name = ? AND (holder = ? OR expires_at < ?)";
  private static final String INSERT =
      "INSERT INTO control_plane_leases (holder, expires_at, name) VALUES (?, ?, ?)";
  private static final String RELEASE =
      "DELETE FROM control_plane_leases WHERE name = ? AND holder = ?";
  private static final String HOLDER = "SELECT holder FROM control_plane_leases WHERE name = ?";
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;
  private final String name;
  private final String holder;
  private final Duration length;

  /**
   * The lease {@code name} as {@code holder} takes it, for {@code length} from each renewal.
   *
   * @throws IllegalArgumentException when a name or holder does not fit its column or the length is
   *     not positive
   */
  public StoreLease(DataSource dataSource, String name, String holder, Duration length) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    if (name.isBlank() || name.length() > 64 || holder.isBlank() || holder.length() > 128) {
      throw new IllegalArgumentException(
          "a lease name has 1-64 characters and a holder 1-128, were " + name + ", " + holder);
    }
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("a lease lasts a positive time, was " + length);
    }
    this.name = name;
    this.holder = holder;
    this.length = length;
  }

  /** Takes the lease, or renews it, at {@code now}: true while this holder has it. */
  public boolean hold(Instant now) throws SQLException {
    long expires = now.plus(length).toEpochMilli();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement s = c.prepareStatement(TAKE)) {
        s.setString(1, holder);
        s.setLong(2, expires);
        s.setString(3, name);
        s.setString(4, holder);
        s.setLong(5, now.toEpochMilli());
        if (s.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement s = c.prepareStatement(INSERT)) {
        s.setString(1, holder);
        s.setLong(2, expires);
        s.setString(3, name);
        return s.executeUpdate() == 1;
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          return false; // another holds it, or took it first
        }
        throw e;
      }
    }
  }

  /** Who holds the lease now, if anyone has taken it (an expired holder still shows). */
  public Optional<String> holder() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(HOLDER)) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Gives the lease up if this holder has it, so another may take it at once. */
  public void release() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(RELEASE)) {
      s.setString(1, name);
      s.setString(2, holder);
      s.executeUpdate();
    }
  }

  /** This holder's name. */
  public String holderName() {
    return holder;
  }
}
