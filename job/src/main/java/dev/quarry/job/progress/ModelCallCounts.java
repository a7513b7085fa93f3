package dev.quarry.job.progress;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of a model-call subtask has done so far, as reported to the status store.
 *
 * @param calls calls sent, retries included
 * @param throttled calls answered 429 (or model-not-ready)
 * @param retries calls sent again after a retryable failure
 * @param answered calls that came back, with an answer or a failure: the latency histogram's count
 * @param latencySumMicros the summed latency of the answered calls, in microseconds
 * @param latencyBuckets answered calls per latency bucket of {@link
 *     ProgressSql#LATENCY_BOUNDS_MILLIS}, not cumulative; those slower than the last bound are the
 *     rest of {@code answered}
 * @param errorsByCode failed calls by status code
 */
public record ModelCallCounts(
    long calls,
    long throttled,
    long retries,
    long answered,
    long latencySumMicros,
    List<Long> latencyBuckets,
    Map<Integer, Long> errorsByCode) {

  /** A run that has not called yet. */
  public static final ModelCallCounts ZERO =
      new ModelCallCounts(
          0,
          0,
          0,
          0,
          0,
          java.util.Collections.nCopies(ProgressSql.LATENCY_BOUNDS_MILLIS.size(), 0L),
          Map.of());

  public ModelCallCounts {
    latencyBuckets = List.copyOf(latencyBuckets);
    errorsByCode = java.util.Collections.unmodifiableMap(new TreeMap<>(errorsByCode));
    if (latencyBuckets.size() != ProgressSql.LATENCY_BOUNDS_MILLIS.size()) {
      throw new IllegalArgumentException(
          "one latency bucket per bound of ProgressSql.LATENCY_BOUNDS_MILLIS, was "
              + latencyBuckets.size());
    }
    long bucketed = 0;
    for (long n : latencyBuckets) {
      if (n < 0) {
        throw new IllegalArgumentException("latency buckets must be >= 0: " + latencyBuckets);
      }
      bucketed += n;
    }
    for (Map.Entry<Integer, Long> e : errorsByCode.entrySet()) {
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("error counts must be >= 0: " + errorsByCode);
      }
    }
    if (calls < 0
        || throttled < 0
        || retries < 0
        || latencySumMicros < 0
        || answered < bucketed
        || answered > calls
        || throttled > answered) {
      throw new IllegalArgumentException(
          "inconsistent call counts: "
              + calls
              + " calls, "
              + answered
              + " answered ("
              + bucketed
              + " within the last bound), "
              + throttled
              + " throttled, "
              + retries
              + " retries");
    }
  }
}
