package dev.quarry.job.invoke;

/**
 * The allowed call rate of one subtask, found by additive increase and multiplicative decrease.
 *
 * <p>Unbounded until the model first throttles; then it drops to a fraction of the rate actually
 * observed, climbs by a fixed step per second while calls succeed, and is cut again on throttling
 * (at most once per cooldown, because calls already in flight answer for the old rate too). A job
 * that is not told the provider's limit thus settles just under it.
 */
public final class AdaptiveRate {
  static final double DECREASE_FACTOR = 0.75;
  /** Each second without throttling adds this share of the rate found at the last decrease. */
  static final double INCREASE_SHARE_PER_SECOND = 0.04;
  static final long COOLDOWN_NANOS = 1_000_000_000L;
  static final double MIN_RATE = 0.05;

  private final double ceiling;
  private double rate = Double.POSITIVE_INFINITY;
  private double step;
  private long lastDecreaseNanos = Long.MIN_VALUE / 2;
  private long lastIncreaseNanos;

  /** @param ceiling the configured rate (calls per second), or infinity when none is configured */
  public AdaptiveRate(double ceiling) {
    this.ceiling = ceiling;
  }

  /** The rate allowed now, in calls per second; infinite while no throttling has been seen. */
  public synchronized double rate() {
    return rate;
  }

  /** A call was throttled; {@code observedRate} is the rate calls were actually sent at recently. */
  public synchronized void onThrottled(long nowNanos, double observedRate) {
    if (nowNanos - lastDecreaseNanos < COOLDOWN_NANOS) {
      return;
    }
    double base = Double.isInfinite(rate) ? Math.min(observedRate, ceiling) : rate;
    rate = Math.max(MIN_RATE, base * DECREASE_FACTOR);
    step = Math.max(MIN_RATE, base * INCREASE_SHARE_PER_SECOND);
    lastDecreaseNanos = nowNanos;
    lastIncreaseNanos = nowNanos;
  }

  /** A call succeeded: raise the rate by the step for the time since the last raise. */
  public synchronized void onSuccess(long nowNanos) {
    if (Double.isInfinite(rate)) {
      return;
    }
    double seconds = (nowNanos - lastIncreaseNanos) / 1e9;
    if (seconds <= 0) {
      return;
    }
    rate = Math.min(ceiling, rate + step * seconds);
    lastIncreaseNanos = nowNanos;
  }
}
