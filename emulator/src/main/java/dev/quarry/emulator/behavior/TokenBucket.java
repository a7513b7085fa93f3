package dev.quarry.emulator.behavior;

/**
 * A token bucket refilled continuously. It admits a request when it holds at least the request's
 * cost, or is full when the cost exceeds its capacity, and may then go negative: an oversized
 * request is slow, never impossible. Not thread-safe; {@link ModelQuota} guards it.
 */
final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private double tokens;
  private long lastRefillNanos;

  TokenBucket(double capacity, double perSecond, long nowNanos) {
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.tokens = capacity;
    this.lastRefillNanos = nowNanos;
  }

  boolean canTake(double cost, long nowNanos) {
    refill(nowNanos);
    return tokens >= Math.min(cost, capacity) - 1e-9;
  }

  void take(double cost) {
    tokens -= cost;
  }

  void giveBack(double amount) {
    tokens = Math.min(capacity, tokens + amount);
  }

  double available(long nowNanos) {
    refill(nowNanos);
    return tokens;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastRefillNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      lastRefillNanos = nowNanos;
    }
  }
}
