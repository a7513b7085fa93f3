package dev.quarry.controlplane.store;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The events status changes queued, per destination, until their destination acknowledges them.
 *
 * <p>Only the oldest pending event of a job (per destination) is ever due, so a job's events reach
 * a destination in the order its status changed. Sending is claimed with a lease, so several
 * control planes on one store do not send the same event at once.
 */
public interface EventOutbox {

  /**
   * Up to {@code limit} events for {@code destination} whose next attempt is due at {@code now},
   * each the oldest pending event of its job, oldest first.
   */
  List<PendingEvent> due(String destination, Instant now, int limit);

  /**
   * Takes {@code event} for one attempt, if nobody else took it since it was read: counts the
   * attempt and holds it until {@code leaseUntil}.
   *
   * @return whether this caller may send it now
   */
  boolean claim(PendingEvent event, Instant leaseUntil);

  /** Removes an event that was acknowledged, or given up on. */
  void remove(long seq);

  /** Sets when the event's next attempt may start, and why the last one failed. */
  void retryAt(long seq, Instant at, String error);

  /** How many events wait for {@code destination}. */
  int pending(String destination);

  /**
   * Removes the oldest events of {@code destination} beyond the newest {@code keep}; returns how
   * many it removed.
   */
  int trim(String destination, int keep);

  /** The destinations that have pending events. */
  Set<String> destinations();

  /** Removes every pending event of {@code destination}; returns how many it removed. */
  int removeAll(String destination);
}
