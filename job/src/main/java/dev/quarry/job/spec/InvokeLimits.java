package dev.quarry.job.spec;

import java.io.Serializable;

/**
 * How hard and how patiently a job calls the model; budgets are for the whole job and split across
 * subtasks.
 *
 * @param requestsPerMinute requests-per-minute budget for the job, 0 for none (adaptive backoff
 *     only)
 * @param tokensPerMinute tokens-per-minute budget (input plus output tokens), 0 for none
 * @param maxConcurrency most calls in flight per subtask
 * @param maxAttempts attempts per record before it becomes an error line (1 = no retry)
 * @param initialBackoffMillis base delay of the exponential backoff between attempts
 * @param maxBackoffMillis cap of one backoff delay
 * @param callTimeoutMillis time limit of one model call attempt
 * @param adaptive whether throttling lowers the allowed rate (AIMD), so an unknown provider limit
 *     is found
 * @param quotaPollMillis how often the job reads its share of the model's budget from the status
 *     store (the control plane divides each model's budget among its running jobs); 0 when it has
 *     no grant to follow and runs on these limits alone
 */
public record InvokeLimits(
    int requestsPerMinute,
    long tokensPerMinute,
    int maxConcurrency,
    int maxAttempts,
    long initialBackoffMillis,
    long maxBackoffMillis,
    long callTimeoutMillis,
    boolean adaptive,
    long quotaPollMillis)
    implements Serializable {

  public InvokeLimits {
    requireAtLeast("requestsPerMinute", requestsPerMinute, 0);
    requireAtLeast("tokensPerMinute", tokensPerMinute, 0);
    requireAtLeast("maxConcurrency", maxConcurrency, 1);
    requireAtLeast("maxAttempts", maxAttempts, 1);
    requireAtLeast("initialBackoffMillis", initialBackoffMillis, 1);
    requireAtLeast("maxBackoffMillis", maxBackoffMillis, initialBackoffMillis);
    requireAtLeast("callTimeoutMillis", callTimeoutMillis, 1);
    requireAtLeast("quotaPollMillis", quotaPollMillis, 0);
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }

  /**
   * Defaults: no fixed budget, adaptive, 64 calls in flight per subtask, 8 attempts, 60 s per call.
   */
  public static InvokeLimits defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .requestsPerMinute(requestsPerMinute)
        .tokensPerMinute(tokensPerMinute)
        .maxConcurrency(maxConcurrency)
        .maxAttempts(maxAttempts)
        .initialBackoffMillis(initialBackoffMillis)
        .maxBackoffMillis(maxBackoffMillis)
        .callTimeoutMillis(callTimeoutMillis)
        .adaptive(adaptive)
        .quotaPollMillis(quotaPollMillis);
  }

  /** Builder starting from the defaults. */
  public static final class Builder {
    private int requestsPerMinute = 0;
    private long tokensPerMinute = 0;
    private int maxConcurrency = 64;
    private int maxAttempts = 8;
    private long initialBackoffMillis = 200;
    private long maxBackoffMillis = 20_000;
    private long callTimeoutMillis = 60_000;
    private boolean adaptive = true;
    private long quotaPollMillis = 0;

    private Builder() {}

    public Builder requestsPerMinute(int value) {
      requestsPerMinute = value;
      return this;
    }

    public Builder tokensPerMinute(long value) {
      tokensPerMinute = value;
      return this;
    }

    public Builder maxConcurrency(int value) {
      maxConcurrency = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder initialBackoffMillis(long value) {
      initialBackoffMillis = value;
      return this;
    }

    public Builder maxBackoffMillis(long value) {
      maxBackoffMillis = value;
      return this;
    }

    public Builder callTimeoutMillis(long value) {
      callTimeoutMillis = value;
      return this;
    }

    public Builder adaptive(boolean value) {
      adaptive = value;
      return this;
    }

    public Builder quotaPollMillis(long value) {
      quotaPollMillis = value;
      return this;
    }

    public InvokeLimits build() {
      return new InvokeLimits(
          requestsPerMinute,
          tokensPerMinute,
          maxConcurrency,
          maxAttempts,
          initialBackoffMillis,
          maxBackoffMillis,
          callTimeoutMillis,
          adaptive,
          quotaPollMillis);
    }
  }
}
