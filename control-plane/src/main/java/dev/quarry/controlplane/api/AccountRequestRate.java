package dev.quarry.controlplane.api;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per account over all its API requests: one team polling in a tight loop is told
 * {@code ThrottlingException} (which every AWS SDK retries with backoff) instead of slowing the API
 * for the others. Time comes from the clock the API is given, so tests decide when tokens refill.
 */
final class AccountRequestRate {
  private final double perSecond;
  private final double burst;
  private final Clock clock;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * {@code perSecond} sustained, up to {@code burst} at once; {@code perSecond <= 0} means no
   * limit.
   */
  AccountRequestRate(double perSecond, int burst, Clock clock) {
    if (perSecond > 0 && burst < 1) {
      throw new IllegalArgumentException(
          "The request burst per account must be at least 1, was " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
  }

  /** Takes one request from {@code account}'s bucket, or throws the 429 AWS would answer. */
  void acquire(String account) {
    if (perSecond <= 0) {
      return;
    }
    Bucket bucket = buckets.computeIfAbsent(account, a -> new Bucket(burst, clock.millis()));
    if (!bucket.take(clock.millis())) {
      throw new ApiException(
          429,
          "ThrottlingException",
          "Too many requests, please wait before trying again. "
              + "Account "
              + account
              + " may make "
              + formatRate()
              + " requests per second (bursts of "
              + (long) burst
              + ")");
    }
  }

  private String formatRate() {
    return perSecond == Math.rint(perSecond)
        ? Long.toString((long) perSecond)
        : Double.toString(perSecond);
  }

  /** Tokens and when they were last counted; guarded by its own lock (one per account). */
  private final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    synchronized boolean take(long now) {
      if (now > at) {
        tokens = Math.min(burst, tokens + (now - at) * perSecond / 1000.0);
        at = now;
      }
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
