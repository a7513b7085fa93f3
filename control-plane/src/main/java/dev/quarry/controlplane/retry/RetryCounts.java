package dev.quarry.controlplane.retry;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** How many records a retry picked, per reason. Not thread-safe: one retry fills it. */
public final class RetryCounts {
  private final EnumMap<RetryReason, Long> counts = new EnumMap<>(RetryReason.class);
  private long leftOut;
  private long notJsonLeftOut;

  void add(RetryReason reason) {
    counts.merge(reason, 1L, Long::sum);
  }

  /** Counts a record without a success line that the selection leaves out. */
  void leaveOut() {
    leftOut++;
  }

  /**
   * Counts lines that are not JSON left out of a retry file too short to start with anything else.
   */
  void leaveOutNotJson(long lines) {
    notJsonLeftOut += lines;
  }

  void addAll(RetryCounts other) {
    other.counts.forEach((reason, n) -> counts.merge(reason, n, Long::sum));
    leftOut += other.leftOut;
    notJsonLeftOut += other.notJsonLeftOut;
  }

  /**
   * Input lines that are not JSON which {@code --errors all} leaves out: the retry file they belong
   * in has too few other lines, and the control plane fails a job whose files start with such
   * lines.
   */
  public long notJsonLeftOut() {
    return notJsonLeftOut;
  }

  /**
   * Records without a success line that {@code --errors retryable} leaves out: errors not
   * retryable, invalid lines.
   */
  public long leftOut() {
    return leftOut;
  }

  /** The count for one reason, 0 if none. */
  public long get(RetryReason reason) {
    return counts.getOrDefault(reason, 0L);
  }

  /** Records picked. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** E.g. {@code "not processed 120, retryable error 3"}; reasons with no record are left out. */
  @Override
  public String toString() {
    return counts.entrySet().stream()
        .map((Map.Entry<RetryReason, Long> e) -> e.getKey().label() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
