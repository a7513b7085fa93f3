package dev.quarry.job.invoke;

/**
 * Moves a subtask's allowed call rate with what the model answers: the strategy half of rate
 * limiting, kept apart from the pacing ({@link CallRateLimiter}) and the retries ({@link
 * RetryPolicy}).
 */
interface RateAdjuster {

  /** The rate allowed now, in calls per second; infinite for no limit. */
  double rate();

  /** A call sent at {@code sentAtNanos} was throttled at {@code nowNanos}. */
  void onThrottled(long nowNanos, long sentAtNanos);

  /** A call succeeded; {@code rateLimited} says whether calls lately had to wait for the rate. */
  void onSuccess(long nowNanos, boolean rateLimited);

  /** The subtask's budget changed to {@code requestsPerSecond} (0 for none). */
  default void onBudget(double requestsPerSecond) {}
}
