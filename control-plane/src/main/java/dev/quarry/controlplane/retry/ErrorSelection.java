package dev.quarry.controlplane.retry;

import java.util.Locale;

/**
 * Which error lines a retry picks: {@code --errors retryable} (the default) or {@code --errors
 * all}.
 */
public enum ErrorSelection {
  /** Throttling (429), timeouts (408), model errors (424) and 5xx: another attempt may succeed. */
  RETRYABLE,
  /** Every error line, and the input lines the job could not parse. */
  ALL;

  /** Parses the option's value. */
  public static ErrorSelection parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "retryable" -> RETRYABLE;
      case "all" -> ALL;
      default ->
          throw new IllegalArgumentException("--errors must be retryable or all, was " + value);
    };
  }

  /**
   * Whether an error line's code says another attempt could succeed: 408, 424, 429 and every 5xx.
   */
  public static boolean isRetryable(int errorCode) {
    return errorCode == 408
        || errorCode == 424
        || errorCode == 429
        || (errorCode >= 500 && errorCode <= 599);
  }

  /** Whether records whose error lines carry a code that is not retryable are picked. */
  boolean picksOtherErrors() {
    return this == ALL;
  }

  /** Whether input lines the job could not parse (error 400 from the parser) are picked. */
  boolean picksInvalidLines() {
    return this == ALL;
  }
}
