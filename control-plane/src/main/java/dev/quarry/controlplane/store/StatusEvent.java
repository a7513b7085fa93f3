package dev.quarry.controlplane.store;

import java.util.Objects;

/**
 * One status-change event as the outbox keeps it: its id and the exact body every attempt sends.
 */
public record StatusEvent(String eventId, String body) {
  public StatusEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(body, "body");
    if (eventId.isEmpty() || eventId.length() > 36) {
      throw new IllegalArgumentException("an event id has 1 to 36 characters, was " + eventId);
    }
  }
}
