package dev.quarry.controlplane.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every statement on the {@code job_events} outbox (db/migration/V5__job_events.sql), and how a row
 * maps to a {@link PendingEvent}.
 */
final class EventTable {
  private EventTable() {}

  static final String TABLE = "job_events";

  /** Longest failure reason kept per event. */
  static final int MAX_ERROR_LENGTH = 1024;

  private static final String COLUMNS =
      "event_seq, event_id, destination, job_id, status, body, created_at, attempts,"
          + " next_attempt_at, last_error";

  private static final String INSERT =
      "INSERT INTO job_events (event_id, destination, job_id, status, body, created_at, attempts,"
          + " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)";

  /**
   * Due events that are the oldest of their job for the destination. Spelled as NOT EXISTS, which
   * H2 and PostgreSQL both plan on job_events_order_idx.
   */
  private static final String DUE =
      "SELECT "
          + COLUMNS
          + " FROM job_events e WHERE e.destination = ? AND e.next_attempt_at <= ?"
          + " AND NOT EXISTS (SELECT 1 FROM job_events p WHERE p.destination = e.destination"
          + " AND p.job_id = e.job_id AND p.event_seq < e.event_seq)"
          + " ORDER BY e.event_seq FETCH FIRST ? ROWS ONLY";

  private static final String CLAIM =
      "UPDATE job_events SET attempts = attempts + 1, next_attempt_at = ?"
          + " WHERE event_seq = ? AND attempts = ? AND next_attempt_at = ?";

  private static final String REMOVE = "DELETE FROM job_events WHERE event_seq = ?";

  private static final String RETRY_AT =
      "UPDATE job_events SET next_attempt_at = ?, last_error = ? WHERE event_seq = ?";

  private static final String PENDING = "SELECT COUNT(*) FROM job_events WHERE destination = ?";

  /** The seq of the newest event to remove when keeping only the newest {@code keep} (OFFSET). */
  private static final String TRIM_BOUNDARY =
      "SELECT event_seq FROM job_events WHERE destination = ? ORDER BY event_seq DESC"
          + " OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY";

  private static final String TRIM =
      "DELETE FROM job_events WHERE destination = ? AND event_seq <= ?";

  private static final String DESTINATIONS = "SELECT DISTINCT destination FROM job_events";

  private static final String REMOVE_ALL = "DELETE FROM job_events WHERE destination = ?";

  /** Queues {@code event} about {@code job} (as it is after its change) for each destination. */
  static void insert(Connection c, List<String> destinations, JobRecord job, StatusEvent event)
      throws SQLException {
    if (destinations.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      for (String destination : destinations) {
        int i = 1;
        s.setString(i++, event.eventId());
        s.setString(i++, destination);
        s.setString(i++, job.jobId());
        s.setString(i++, job.status().wireName());
        s.setString(i++, event.body());
        s.setLong(i++, job.lastModifiedTime().toEpochMilli());
        s.setLong(i, job.lastModifiedTime().toEpochMilli());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  static List<PendingEvent> due(Connection c, String destination, Instant now, int limit)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(DUE)) {
      s.setString(1, destination);
      s.setLong(2, now.toEpochMilli());
      s.setInt(3, limit);
      List<PendingEvent> due = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          due.add(read(rs));
        }
      }
      return due;
    }
  }

  static boolean claim(Connection c, PendingEvent event, Instant leaseUntil) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(CLAIM)) {
      s.setLong(1, leaseUntil.toEpochMilli());
      s.setLong(2, event.seq());
      s.setInt(3, event.attempts());
      s.setLong(4, event.nextAttemptAt().toEpochMilli());
      return s.executeUpdate() == 1;
    }
  }

  static void remove(Connection c, long seq) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(REMOVE)) {
      s.setLong(1, seq);
      s.executeUpdate();
    }
  }

  static void retryAt(Connection c, long seq, Instant at, String error) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RETRY_AT)) {
      s.setLong(1, at.toEpochMilli());
      s.setString(
          2,
          error == null || error.length() <= MAX_ERROR_LENGTH
              ? error
              : error.substring(0, MAX_ERROR_LENGTH));
      s.setLong(3, seq);
      s.executeUpdate();
    }
  }

  static int pending(Connection c, String destination) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(PENDING)) {
      s.setString(1, destination);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static int trim(Connection c, String destination, int keep) throws SQLException {
    long boundary;
    try (PreparedStatement s = c.prepareStatement(TRIM_BOUNDARY)) {
      s.setString(1, destination);
      s.setInt(2, keep);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
        boundary = rs.getLong(1);
      }
    }
    try (PreparedStatement s = c.prepareStatement(TRIM)) {
      s.setString(1, destination);
      s.setLong(2, boundary);
      return s.executeUpdate();
    }
  }

  static Set<String> destinations(Connection c) throws SQLException {
    Set<String> found = new LinkedHashSet<>();
    try (PreparedStatement s = c.prepareStatement(DESTINATIONS);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        found.add(rs.getString(1));
      }
    }
    return found;
  }

  static int removeAll(Connection c, String destination) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(REMOVE_ALL)) {
      s.setString(1, destination);
      return s.executeUpdate();
    }
  }

  private static PendingEvent read(ResultSet rs) throws SQLException {
    return new PendingEvent(
        rs.getLong("event_seq"),
        rs.getString("event_id"),
        rs.getString("destination"),
        rs.getString("job_id"),
        JobStatus.fromWireName(rs.getString("status")),
        rs.getString("body"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        rs.getInt("attempts"),
        Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
        rs.getString("last_error"));
  }
}
