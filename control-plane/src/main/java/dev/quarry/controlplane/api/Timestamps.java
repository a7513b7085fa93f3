package dev.quarry.controlplane.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Bedrock's timestamps: ISO-8601 strings in UTC ({@code 2025-01-15T10:20:30.123Z}), in bodies and
 * queries.
 */
public final class Timestamps {
  private static final DateTimeFormatter OUT = DateTimeFormatter.ISO_INSTANT;

  private Timestamps() {}

  /** Formats with millisecond precision, UTC {@code Z}. */
  public static String format(Instant instant) {
    return instant == null ? null : OUT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Parses ISO-8601 with or without fractional seconds, with {@code Z} or an offset, or epoch
   * seconds.
   */
  public static Instant parse(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.ofEpochMilli((long) (Double.parseDouble(text) * 1000));
      } catch (NumberFormatException notNumber) {
        ValidationErrors errors = new ValidationErrors();
        errors.add(
            field, text, "Member must be an ISO-8601 timestamp such as 2025-01-15T10:20:30Z");
        errors.throwIfAny();
        throw new IllegalStateException("unreachable");
      }
    }
  }

  static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
