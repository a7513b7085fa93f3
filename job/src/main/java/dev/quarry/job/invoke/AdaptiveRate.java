package dev.quarry.job.invoke;

/**
 * The allowed call rate of one subtask, found by additive increase and multiplicative decrease.
 *
 * <p>Unbounded until the model throttles. Once throttling has gone on for a second (so the model has
 * been saturated long enough for its accepted rate to show its limit), the rate starts just under
 * the rate the model accepted in that second. From then on it climbs by a fixed step per second
 * while calls succeed and is cut by a factor on throttling, at most once per cooldown because calls
 * already in flight answer for the old rate too. A job that is not told the provider's limit thus
 * saws between 85 % and 100 % of it.
 */
public final class AdaptiveRate {
  static final double DECREASE_FACTOR = 0.85;
  /** Each second without throttling adds this share of the rate found at the last decrease. */
  static final double INCREASE_SHARE_PER_SECOND = 0.05;
  static final long COOLDOWN_NANOS = 500_000_000L;
  static final long SATURATION_NANOS = 1_000_000_000L;
  static final double MIN_RATE = 0.05;

  private final double ceiling;
  private double rate = Double.POSITIVE_INFINITY;
  private double step;
  private long firstThrottleNanos = -1;
  private long lastDecreaseNanos;
  private long lastIncreaseNanos;

  /** @param ceiling the configured rate (calls per second), or infinity when none is configured */
  public AdaptiveRate(double ceiling) {
    this.ceiling = ceiling;
  }

  /** The rate allowed now, in calls per second; infinite until throttling has been seen. */
  public synchronized double rate() {
    return rate;
  }

  /**
   * A call was throttled; {@code acceptedRate} is the rate calls succeeded at over the last second.
   */
  public synchronized void onThrottled(long nowNanos, double acceptedRate) {
    if (Double.isInfinite(rate)) {
      if (firstThrottleNanos < 0) {
        firstThrottleNanos = nowNanos;
      }
      if (nowNanos - firstThrottleNanos >= SATURATION_NANOS) {
        decreaseTo(nowNanos, Math.min(ceiling, acceptedRate) * DECREASE_FACTOR);
      }
      return;
    }
    if (nowNanos - lastDecreaseNanos >= COOLDOWN_NANOS) {
      decreaseTo(nowNanos, rate * DECREASE_FACTOR);
    }
  }

  private void decreaseTo(long nowNanos, double newRate) {
    rate = Math.max(MIN_RATE, newRate);
    step = Math.max(MIN_RATE, rate * INCREASE_SHARE_PER_SECOND);
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
