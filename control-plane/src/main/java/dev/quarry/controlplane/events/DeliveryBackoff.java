package dev.quarry.controlplane.events;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait after a failed attempt: doubling from {@code initial} up to {@code max}, each drawn
 * between half and all of that (jitter, so many events waiting for one webhook do not retry in
 * step).
 */
record DeliveryBackoff(Duration initial, Duration max) {
  DeliveryBackoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, was " + initial + ", " + max);
    }
  }

  /** The wait after the {@code failedAttempts}-th failed attempt (1 for the first). */
  Duration after(int failedAttempts) {
    // 2^30 times any sane initial wait is past any sane maximum, and still far from overflowing.
    int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
    long ceiling = Math.min(max.toMillis(), initial.toMillis() << doublings);
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }
}
