package dev.quarry.emulator.behavior;

import dev.quarry.emulator.config.RateLimits;

/**
 * The requests-per-minute and tokens-per-minute buckets of one metered model id. A request is
 * admitted only when both buckets allow it, and then charged to both; tokens reserved for output
 * and not generated are given back.
 */
public final class ModelQuota {
  private final TokenBucket requests;
  private final TokenBucket tokens;

  ModelQuota(RateLimits limits, long nowNanos) {
    this.requests =
        limits.requestsPerMinute() > 0
            ? new TokenBucket(
                limits.effectiveRequestBurst(), limits.requestsPerMinute() / 60.0, nowNanos)
            : null;
    this.tokens =
        limits.tokensPerMinute() > 0
            ? new TokenBucket(
                limits.effectiveTokenBurst(), limits.tokensPerMinute() / 60.0, nowNanos)
            : null;
  }

  /**
   * Charges one request costing {@code tokenCost} tokens if both buckets allow it; false means
   * throttle.
   */
  public synchronized boolean tryAdmit(long tokenCost, long nowNanos) {
    boolean requestOk = requests == null || requests.canTake(1, nowNanos);
    boolean tokensOk = tokens == null || tokens.canTake(tokenCost, nowNanos);
    if (!requestOk || !tokensOk) {
      return false;
    }
    if (requests != null) {
      requests.take(1);
    }
    if (tokens != null) {
      tokens.take(tokenCost);
    }
    return true;
  }

  /** Returns reserved tokens that the request did not use. */
  public synchronized void refundTokens(long unused) {
    if (tokens != null && unused > 0) {
      tokens.giveBack(unused);
    }
  }

  /** Tokens now in the token bucket (may be negative), or +infinity when tokens are unlimited. */
  public synchronized double availableTokens(long nowNanos) {
    return tokens == null ? Double.POSITIVE_INFINITY : tokens.available(nowNanos);
  }
}
