package dev.quarry.controlplane.events;

/**
 * What one delivery attempt came to: acknowledged (a 2xx answer), or failed with a reason.
 *
 * @param error {@code null} when acknowledged, else e.g. {@code HTTP 500} or {@code timed out after
 *     10000 ms}
 */
record DeliveryOutcome(String error) {
  static final DeliveryOutcome ACKNOWLEDGED = new DeliveryOutcome(null);

  static DeliveryOutcome failed(String error) {
    return new DeliveryOutcome(error == null ? "failed" : error);
  }

  boolean acknowledged() {
    return error == null;
  }
}
