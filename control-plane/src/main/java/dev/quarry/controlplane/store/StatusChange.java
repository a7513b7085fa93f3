package dev.quarry.controlplane.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** When a status change happens and what message, if any, it leaves on the job. */
public final class StatusChange {
  private final Instant at;
  private final String message;

  private StatusChange(Builder builder) {
    // The caller's clock decides the time; the store never reads a clock of its own. Millis, as
    // stored.
    this.at = Objects.requireNonNull(builder.at, "at").truncatedTo(ChronoUnit.MILLIS);
    this.message = builder.message;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A change at {@code at} that leaves the job's message as it is. */
  public static StatusChange at(Instant at) {
    return builder().at(at).build();
  }

  public Builder toBuilder() {
    return new Builder().at(at).message(message);
  }

  /**
   * The time of the change: the job's new last-modified time, and its end time if the new status is
   * terminal.
   */
  public Instant at() {
    return at;
  }

  /** The job's new message (e.g. a failure reason), or {@code null} to keep the current one. */
  public String message() {
    return message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusChange other
        && at.equals(other.at)
        && Objects.equals(message, other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(at, message);
  }

  @Override
  public String toString() {
    return "StatusChange[at=" + at + ", message=" + message + "]";
  }

  /** Builds a {@link StatusChange}. */
  public static final class Builder {
    private Instant at;
    private String message;

    private Builder() {}

    public Builder at(Instant at) {
      this.at = at;
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public StatusChange build() {
      return new StatusChange(this);
    }
  }
}
