package dev.quarry.job.invoke;

/**
 * Paces one subtask's model calls to its share of the job's requests-per-minute and
 * tokens-per-minute budgets, and to the adaptive rate.
 *
 * <p>Non-blocking: {@link #reserve} books the earliest slot and says how long to wait for it, so the
 * caller schedules the call instead of parking a thread. Slots are spaced evenly (no bursts), which
 * keeps a provider's own token bucket from throttling a job that runs at exactly its limit.
 */
public final class CallRateLimiter {
  private final double requestsPerSecond;
  private final double tokensPerSecond;
  private final AdaptiveRate adaptive;
  private final RateMeter accepted = new RateMeter();
  private long nextRequestNanos;
  private long nextTokenNanos;

  /**
   * @param requestsPerSecond this subtask's request budget, 0 for none
   * @param tokensPerSecond this subtask's token budget, 0 for none
   * @param adaptive the adaptive rate, or {@code null} when throttling should not lower the rate
   */
  public CallRateLimiter(double requestsPerSecond, double tokensPerSecond, AdaptiveRate adaptive) {
    this.requestsPerSecond = requestsPerSecond;
    this.tokensPerSecond = tokensPerSecond;
    this.adaptive = adaptive;
  }

  /** Books a call costing {@code tokens}; returns how many nanoseconds from now it may be sent. */
  public synchronized long reserve(long nowNanos, long tokens) {
    double rate = effectiveRequestRate();
    long start = nowNanos;
    if (rate > 0 && !Double.isInfinite(rate)) {
      long requestSlot = Math.max(nowNanos, nextRequestNanos);
      nextRequestNanos = requestSlot + (long) (1e9 / rate);
      start = requestSlot;
    }
    if (tokensPerSecond > 0) {
      long tokenSlot = Math.max(nowNanos, nextTokenNanos);
      nextTokenNanos = tokenSlot + (long) (tokens * 1e9 / tokensPerSecond);
      start = Math.max(start, tokenSlot);
    }
    return start - nowNanos;
  }

  /** Returns the difference between reserved and actually used tokens to the budget. */
  public synchronized void settle(long reservedTokens, long usedTokens) {
    if (tokensPerSecond > 0 && reservedTokens != usedTokens) {
      nextTokenNanos -= (long) ((reservedTokens - usedTokens) * 1e9 / tokensPerSecond);
    }
  }

  /** The model throttled a call: the adaptive rate, if any, goes down. */
  public void onThrottled(long nowNanos) {
    if (adaptive != null) {
      adaptive.onThrottled(nowNanos, accepted.rate(nowNanos));
    }
  }

  /** The model answered a call: the adaptive rate, if any, creeps up. */
  public void onSuccess(long nowNanos) {
    accepted.record(nowNanos);
    if (adaptive != null) {
      adaptive.onSuccess(nowNanos);
    }
  }

  /** The request rate in force: the configured budget or the adaptive rate, whichever is lower. */
  public double effectiveRequestRate() {
    double configured = requestsPerSecond > 0 ? requestsPerSecond : Double.POSITIVE_INFINITY;
    double found = adaptive == null ? Double.POSITIVE_INFINITY : adaptive.rate();
    return Math.min(configured, found);
  }
}
