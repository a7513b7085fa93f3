package dev.quarry.job.invoke;

import java.io.Serializable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed call is tried again and after how long: exponential backoff with jitter, up to a
 * number of attempts. Jitter keeps the records throttled together from coming back together.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int maxAttempts;
  private final long initialBackoffMillis;
  private final long maxBackoffMillis;

  public RetryPolicy(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis) {
    this.maxAttempts = maxAttempts;
    this.initialBackoffMillis = initialBackoffMillis;
    this.maxBackoffMillis = maxBackoffMillis;
  }

  /** Whether a call that failed on attempt {@code attempt} (1-based) is tried again. */
  public boolean shouldRetry(CallFailure failure, int attempt) {
    return failure.retryable() && attempt < maxAttempts;
  }

  /**
   * Delay before attempt {@code attempt + 1}: uniform in [cap/2, cap], cap doubling per attempt.
   */
  public long backoffMillis(int attempt) {
    long cap = initialBackoffMillis << Math.min(attempt - 1, 30);
    if (cap <= 0 || cap > maxBackoffMillis) {
      cap = maxBackoffMillis;
    }
    long half = cap / 2;
    return half + ThreadLocalRandom.current().nextLong(cap - half + 1);
  }

  public int maxAttempts() {
    return maxAttempts;
  }
}
