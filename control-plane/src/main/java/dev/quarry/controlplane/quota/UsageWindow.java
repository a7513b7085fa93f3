package dev.quarry.controlplane.quota;

import java.util.ArrayDeque;
import java.util.OptionalDouble;

/**
 * What one job sent over the last few seconds, from its reports as the allocator saw them each
 * period.
 *
 * <p>A job gives up part of its share only on sustained evidence: it reported through the whole
 * window, never once waited for its rate, and what it sent over the window is the rate it needs.
 * Single reports lag the period and a job warming up sends little, so one quiet period says
 * nothing.
 */
final class UsageWindow {
  /** How long a job must have been idle-ish before its share shrinks to what it uses. */
  static final long WINDOW_MILLIS = 2_000;

  private record Sample(long millis, long calls, boolean rateLimited) {}

  private final ArrayDeque<Sample> samples = new ArrayDeque<>();

  /** The job's figures at {@code nowMillis}. */
  void add(long nowMillis, JobRates rates) {
    if (!rates.reported()) {
      samples.clear();
      return;
    }
    if (!samples.isEmpty() && rates.calls() < samples.peekLast().calls()) {
      samples.clear(); // a subtask restarted and counts from zero again
    }
    samples.addLast(new Sample(nowMillis, rates.calls(), rates.rateLimited()));
    while (samples.size() > 2
        && samples.peekFirst().millis() < nowMillis - WINDOW_MILLIS
        && nextAfterFirst().millis() <= nowMillis - WINDOW_MILLIS) {
      samples.removeFirst();
    }
  }

  private Sample nextAfterFirst() {
    var it = samples.iterator();
    it.next();
    return it.next();
  }

  /**
   * Requests per minute the job sent over the window; empty before two reports half a second apart.
   */
  OptionalDouble recentUse() {
    if (samples.size() < 2) {
      return OptionalDouble.empty();
    }
    Sample first = samples.peekFirst();
    Sample last = samples.peekLast();
    long span = last.millis() - first.millis();
    return span < 500
        ? OptionalDouble.empty()
        : OptionalDouble.of((last.calls() - first.calls()) * 60_000.0 / span);
  }

  /**
   * Requests per minute the job sent over the window if it did not once wait for its rate in it;
   * empty when it wants all it can get or has not reported for a whole window yet.
   */
  OptionalDouble unsaturatedUse() {
    if (samples.size() < 2) {
      return OptionalDouble.empty();
    }
    Sample first = samples.peekFirst();
    Sample last = samples.peekLast();
    long span = last.millis() - first.millis();
    if (span < WINDOW_MILLIS || samples.stream().anyMatch(Sample::rateLimited)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((last.calls() - first.calls()) * 60_000.0 / span);
  }
}
