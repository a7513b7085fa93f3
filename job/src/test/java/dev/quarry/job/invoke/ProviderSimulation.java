package dev.quarry.job.invoke;

import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Simulated time: {@code workers} records in flight go round reserve → wait → call → answer →
 * reserve, against a provider that accepts at most {@code acceptedPerSecond} calls per second (a
 * token bucket holding {@code burst} calls) and throttles the rest. Several limiters (the subtasks
 * of one job) can share the provider, each with its own workers; answers can take a random latency,
 * and throttles can come back at once, as Bedrock's do.
 */
final class ProviderSimulation {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private enum Kind {
    RESERVE,
    SEND,
    ANSWER
  }

  private record Event(long at, Kind kind, boolean accepted, long seq, int subtask, long sentAt)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** What happened in one simulated second. */
  static final class Second {
    long accepted;
    long throttled;
  }

  private final List<CallRateLimiter> limiters;
  private final double acceptedPerSecond;
  private final double burst;
  private final long latencyNanos;
  private final long maxLatencyNanos;
  private final boolean instantThrottle;
  private final Random random = new Random(7);
  private final long notReadyUntilNanos;
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long seq;
  private double bucket;
  private long bucketTime;
  final Second[] seconds;

  ProviderSimulation(
      CallRateLimiter limiter,
      double acceptedPerSecond,
      double burst,
      int workers,
      long latencyMillis,
      long notReadyUntilMillis,
      int durationSeconds) {
    this(
        List.of(limiter),
        acceptedPerSecond,
        burst,
        workers,
        latencyMillis,
        latencyMillis,
        false,
        notReadyUntilMillis,
        durationSeconds);
  }

  /**
   * @param workers records in flight per limiter
   * @param minLatencyMillis shortest answer (uniform up to {@code maxLatencyMillis})
   * @param instantThrottle whether a throttle comes back at once rather than after the latency
   */
  ProviderSimulation(
      List<CallRateLimiter> limiters,
      double acceptedPerSecond,
      double burst,
      int workers,
      long minLatencyMillis,
      long maxLatencyMillis,
      boolean instantThrottle,
      long notReadyUntilMillis,
      int durationSeconds) {
    this.limiters = List.copyOf(limiters);
    this.acceptedPerSecond = acceptedPerSecond;
    this.burst = burst;
    this.bucket = burst;
    this.latencyNanos = minLatencyMillis * MS;
    this.maxLatencyNanos = maxLatencyMillis * MS;
    this.instantThrottle = instantThrottle;
    this.notReadyUntilNanos = notReadyUntilMillis * MS;
    this.seconds = new Second[durationSeconds];
    for (int i = 0; i < durationSeconds; i++) {
      seconds[i] = new Second();
    }
    for (int l = 0; l < limiters.size(); l++) {
      for (int w = 0; w < workers; w++) {
        push(w * MS / 10, Kind.RESERVE, false, l, 0); // workers start within the first microseconds
      }
    }
  }

  private void push(long at, Kind kind, boolean accepted, int subtask, long sentAt) {
    events.add(new Event(at, kind, accepted, seq++, subtask, sentAt));
  }

  private long latency() {
    return maxLatencyNanos <= latencyNanos
        ? latencyNanos
        : latencyNanos + (long) (random.nextDouble() * (maxLatencyNanos - latencyNanos));
  }

  private boolean admit(long now) {
    bucket = Math.min(burst, bucket + (now - bucketTime) / 1e9 * acceptedPerSecond);
    bucketTime = now;
    if (now < notReadyUntilNanos || bucket < 1) {
      return false;
    }
    bucket -= 1;
    return true;
  }

  ProviderSimulation run() {
    long end = seconds.length * S;
    while (!events.isEmpty()) {
      Event e = events.poll();
      if (e.at >= end) {
        break;
      }
      switch (e.kind) {
        case RESERVE -> {
          long wait = limiters.get(e.subtask).tryAcquire(e.at, 1);
          push(e.at + wait, wait == 0 ? Kind.SEND : Kind.RESERVE, false, e.subtask, 0);
        }
        case SEND -> {
          boolean ok = admit(e.at);
          Second s = seconds[(int) (e.at / S)];
          if (ok) {
            s.accepted++;
          } else {
            s.throttled++;
          }
          long answerAfter = !ok && instantThrottle ? MS : latency();
          push(e.at + answerAfter, Kind.ANSWER, ok, e.subtask, e.at);
        }
        case ANSWER -> {
          CallRateLimiter limiter = limiters.get(e.subtask);
          if (e.accepted) {
            limiter.onSuccess(e.at);
          } else {
            limiter.onThrottled(e.at, e.sentAt);
          }
          push(e.at, Kind.RESERVE, false, e.subtask, 0);
        }
      }
    }
    return this;
  }

  /** Mean accepted calls per second over seconds [from, to). */
  double acceptedRate(int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      n += seconds[i].accepted;
    }
    return n / (double) (to - from);
  }

  /** Share of calls throttled over seconds [from, to). */
  double throttledShare(int from, int to) {
    long ok = 0;
    long throttled = 0;
    for (int i = from; i < to; i++) {
      ok += seconds[i].accepted;
      throttled += seconds[i].throttled;
    }
    return throttled / (double) (ok + throttled);
  }

  /** The lowest accepted count of any second in [from, to). */
  long minAccepted(int from, int to) {
    long min = Long.MAX_VALUE;
    for (int i = from; i < to; i++) {
      min = Math.min(min, seconds[i].accepted);
    }
    return min;
  }
}
