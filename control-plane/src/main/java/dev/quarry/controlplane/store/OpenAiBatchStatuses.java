package dev.quarry.controlplane.store;

import java.util.Set;

/** The batch statuses the store treats as final, and the times it keeps, by column. */
public final class OpenAiBatchStatuses {
  /** A batch in one of these stays in it. */
  public static final Set<String> FINAL = Set.of("completed", "failed", "expired", "cancelled");

  private OpenAiBatchStatuses() {}

  /** A time the store keeps for a batch: when it reached one status. */
  public enum Time {
    IN_PROGRESS("in_progress_at"),
    FINALIZING("finalizing_at"),
    COMPLETED("completed_at"),
    FAILED("failed_at"),
    EXPIRED("expired_at"),
    CANCELLING("cancelling_at"),
    CANCELLED("cancelled_at");

    final String column;

    Time(String column) {
      this.column = column;
    }

    /** The time a batch that ends in {@code status} ended, if it is a final status. */
    public static Time endOf(String status) {
      return switch (status) {
        case "completed" -> COMPLETED;
        case "failed" -> FAILED;
        case "expired" -> EXPIRED;
        case "cancelled" -> CANCELLED;
        default -> throw new IllegalArgumentException("Not a final batch status: " + status);
      };
    }
  }
}
