package dev.quarry.job.invoke;

/** Measures the rate of events (calls sent, calls accepted) over the last second, in 100 ms slots. */
final class RateMeter {
  private static final int SLOTS = 10;
  private static final long SLOT_NANOS = 100_000_000L;

  private final long[] counts = new long[SLOTS];
  private final long[] slotIds = new long[SLOTS];

  synchronized void record(long nowNanos) {
    long slot = nowNanos / SLOT_NANOS;
    int i = (int) Math.floorMod(slot, (long) SLOTS);
    if (slotIds[i] != slot) {
      slotIds[i] = slot;
      counts[i] = 0;
    }
    counts[i]++;
  }

  /** Calls per second over the window ending now. */
  synchronized double rate(long nowNanos) {
    long current = nowNanos / SLOT_NANOS;
    long total = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (current - slotIds[i] < SLOTS) {
        total += counts[i];
      }
    }
    return total / (SLOTS * SLOT_NANOS / 1e9);
  }
}
