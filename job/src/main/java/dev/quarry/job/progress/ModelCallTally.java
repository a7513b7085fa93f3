package dev.quarry.job.progress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts one run of a model-call subtask as its calls happen; {@link #counts} is what gets
 * reported. Calls are sent from one thread and answered on the HTTP client's, so every method takes
 * the same lock: the figures of a snapshot then always agree with each other (never more answered
 * than sent), at a cost far below a model call's.
 */
public final class ModelCallTally {
  private static final long[] BOUNDS_NANOS =
      ProgressSql.LATENCY_BOUNDS_MILLIS.stream().mapToLong(ms -> ms * 1_000_000L).toArray();

  private long calls;
  private long throttled;
  private long retries;
  private long answered;
  private long latencySumMicros;
  private final long[] buckets = new long[BOUNDS_NANOS.length];
  private final Map<Integer, Long> errors = new HashMap<>();

  /** A call is sent. */
  public synchronized void sent() {
    calls++;
  }

  /** A call came back (with an answer or a failure) {@code nanos} after it was sent. */
  public synchronized void answered(long nanos) {
    long latency = Math.max(0, nanos);
    answered++;
    latencySumMicros += latency / 1_000;
    for (int i = 0; i < BOUNDS_NANOS.length; i++) {
      if (latency <= BOUNDS_NANOS[i]) {
        buckets[i]++;
        return;
      }
    }
  }

  /**
   * An answered call failed with {@code statusCode}; {@code throttledCall} if the model said 429.
   */
  public synchronized void failed(int statusCode, boolean throttledCall) {
    errors.merge(statusCode, 1L, Long::sum);
    if (throttledCall) {
      throttled++;
    }
  }

  /** A failed call's record is sent again. */
  public synchronized void retried() {
    retries++;
  }

  /** The counts so far. */
  public synchronized ModelCallCounts counts() {
    List<Long> bucketList = java.util.Arrays.stream(buckets).boxed().toList();
    return new ModelCallCounts(
        calls, throttled, retries, answered, latencySumMicros, bucketList, errors);
  }
}
