package dev.quarry.controlplane.store;

import java.util.List;

/**
 * What the store writes to its event outbox with every status change, in the change's own
 * transaction: one {@link StatusEvent} per change, queued for each destination.
 */
public interface StatusEvents {
  /** No destinations: status changes queue nothing. */
  StatusEvents NONE =
      new StatusEvents() {
        @Override
        public List<String> destinations() {
          return List.of();
        }

        @Override
        public StatusEvent of(JobRecord job) {
          throw new IllegalStateException("no event destinations are configured");
        }
      };

  /** Where every event goes (e.g. webhook URLs), each with its own queue and order. */
  List<String> destinations();

  /**
   * The event announcing {@code job}'s status as it is right after the change (its last-modified
   * time is the change's time).
   */
  StatusEvent of(JobRecord job);
}
