package dev.quarry.controlplane.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An event in the outbox not yet acknowledged by its destination.
 *
 * @param seq the outbox's order: a job's events for one destination go out in this order
 * @param attempts attempts started so far
 * @param nextAttemptAt when the next attempt may start (or the end of a running attempt's lease)
 * @param lastError why the last attempt failed, or {@code null}
 */
public record PendingEvent(
    long seq,
    String eventId,
    String destination,
    String jobId,
    JobStatus status,
    String body,
    Instant createdAt,
    int attempts,
    Instant nextAttemptAt,
    String lastError) {
  public PendingEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
    }
  }
}
