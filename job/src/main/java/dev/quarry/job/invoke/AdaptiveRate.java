package dev.quarry.job.invoke;

/**
 * The allowed call rate of one subtask, found by additive increase and multiplicative decrease.
 *
 * <p>Unbounded until the model throttles. From the first throttle on, successes are counted; once
 * throttling has gone on for a second and something was accepted, the rate starts just under the
 * rate the model accepted since the first throttle (while saturated, that is its limit). From then
 * on it climbs while calls succeed, by a step that grows with the time since the last decrease, and
 * is cut by a factor on throttling: once per round trip, since calls sent before a decrease answer
 * for the old rate. A job that is not told the provider's limit thus saws between 85 % and 100 % of
 * it.
 *
 * <p>The rate only climbs while it is what holds calls back (calls wait for a slot), as TCP
 * validates its congestion window (RFC 7661): a rate that nobody uses has not been tested against
 * the provider, and when records that were waiting in backoff all come due at once, an untested
 * rate that grew meanwhile would send a burst far over the limit, throttle most of it, and push
 * those records into ever longer backoffs.
 *
 * <p>A cut never goes below {@link #DECREASE_FACTOR} of the rate the model accepted from this
 * subtask over the last {@link #ACCEPTED_WINDOW_NANOS}: what was just accepted is a lower bound of
 * this subtask's share, so a burst of throttles (another subtask's excess, a pause that bunched
 * calls together) cannot cut the rate down to a fraction of the limit, from which the additive
 * increase takes tens of seconds to climb.
 */
public final class AdaptiveRate implements RateAdjuster {
  static final double DECREASE_FACTOR = 0.85;

  /** The step: this share of the rate set at the last decrease, per second. */
  static final double INCREASE_SHARE_PER_SECOND = 0.05;

  /** The step doubles after this many seconds without a decrease, and keeps growing linearly. */
  static final double ACCELERATION_SECONDS = 5;

  static final long COOLDOWN_NANOS = 500_000_000L;
  static final long SATURATION_NANOS = 1_000_000_000L;
  static final double MIN_RATE = 0.05;

  /**
   * How far back the accepted rate that floors a cut is counted (two windows of this length are
   * kept).
   */
  static final long ACCEPTED_WINDOW_NANOS = 2_000_000_000L;

  private final double ceiling;
  private double rate = Double.POSITIVE_INFINITY;
  private double step;
  private boolean throttled;
  private long firstThrottleNanos;
  private long acceptedSinceFirstThrottle;
  private long lastDecreaseNanos;
  private long lastIncreaseNanos;

  /**
   * Where the acceleration counts from: the last decrease, moved on by the time the rate went
   * unused.
   */
  private long accelerationOriginNanos;

  /**
   * Successes in the current and the previous accepted-rate window, and when the current one began.
   */
  private long acceptedNow;

  private long acceptedBefore;
  private long windowStartNanos;
  private boolean windowStarted;

  /**
   * @param ceiling the configured rate (calls per second), or infinity when none is configured
   */
  public AdaptiveRate(double ceiling) {
    this.ceiling = ceiling;
  }

  /** The rate allowed now, in calls per second; infinite until throttling has been seen. */
  @Override
  public synchronized double rate() {
    return rate;
  }

  /** A call sent at {@code sentAtNanos} was throttled at {@code nowNanos}. */
  @Override
  public synchronized void onThrottled(long nowNanos, long sentAtNanos) {
    if (Double.isInfinite(rate)) {
      if (!throttled) {
        throttled = true;
        firstThrottleNanos = nowNanos;
        acceptedSinceFirstThrottle = 0;
        return;
      }
      long elapsed = nowNanos - firstThrottleNanos;
      // Nothing accepted yet (a model warming up answers ModelNotReady): no rate to learn from, so
      // per-record backoff carries on until something is.
      if (elapsed >= SATURATION_NANOS && acceptedSinceFirstThrottle > 0) {
        decreaseTo(
            nowNanos,
            Math.min(ceiling, acceptedSinceFirstThrottle / (elapsed / 1e9)) * DECREASE_FACTOR);
      }
      return;
    }
    if (sentAtNanos < lastDecreaseNanos || nowNanos - lastDecreaseNanos < COOLDOWN_NANOS) {
      return;
    }
    double floor = DECREASE_FACTOR * acceptedRate(nowNanos);
    if (rate <= floor) {
      return; // already at the floor: this throttle says nothing the accepted calls did not
    }
    decreaseTo(nowNanos, Math.max(rate * DECREASE_FACTOR, floor));
  }

  /** Successes per second over the previous and the current window (at most two windows back). */
  private double acceptedRate(long nowNanos) {
    rotate(nowNanos);
    double seconds = (ACCEPTED_WINDOW_NANOS + (nowNanos - windowStartNanos)) / 1e9;
    return (acceptedBefore + acceptedNow) / seconds;
  }

  private void rotate(long nowNanos) {
    if (!windowStarted) {
      windowStarted = true;
      windowStartNanos = nowNanos;
      return;
    }
    long elapsed = nowNanos - windowStartNanos;
    if (elapsed >= 2 * ACCEPTED_WINDOW_NANOS) {
      acceptedBefore = 0;
      acceptedNow = 0;
      windowStartNanos = nowNanos;
    } else if (elapsed >= ACCEPTED_WINDOW_NANOS) {
      acceptedBefore = acceptedNow;
      acceptedNow = 0;
      windowStartNanos += ACCEPTED_WINDOW_NANOS;
    }
  }

  private void decreaseTo(long nowNanos, double newRate) {
    rate = Math.max(MIN_RATE, newRate);
    step = Math.max(MIN_RATE, rate * INCREASE_SHARE_PER_SECOND);
    lastDecreaseNanos = nowNanos;
    lastIncreaseNanos = nowNanos;
    accelerationOriginNanos = nowNanos;
  }

  /** A call succeeded while calls were waiting for this rate: count it, or raise the rate. */
  public void onSuccess(long nowNanos) {
    onSuccess(nowNanos, true);
  }

  /**
   * A call succeeded: count it, or raise the rate for the time since the last raise if {@code
   * rateLimited} (calls were waiting for a slot lately); otherwise the rate and its acceleration
   * stay where they are.
   */
  @Override
  public synchronized void onSuccess(long nowNanos, boolean rateLimited) {
    rotate(nowNanos);
    acceptedNow++;
    if (Double.isInfinite(rate)) {
      if (throttled) {
        acceptedSinceFirstThrottle++;
      }
      return;
    }
    if (nowNanos <= lastIncreaseNanos) {
      return;
    }
    if (!rateLimited) {
      accelerationOriginNanos += nowNanos - lastIncreaseNanos;
      lastIncreaseNanos = nowNanos;
      return;
    }
    // The integral of step * (1 + t / ACCELERATION_SECONDS) over the time since the last raise,
    // t counted from the last decrease (less unused time): a rate far under the limit gets there in
    // tens of seconds, one just cut creeps back.
    double from = (lastIncreaseNanos - accelerationOriginNanos) / 1e9;
    double to = (nowNanos - accelerationOriginNanos) / 1e9;
    rate =
        Math.min(
            ceiling,
            rate + step * ((to - from) + (to * to - from * from) / (2 * ACCELERATION_SECONDS)));
    lastIncreaseNanos = nowNanos;
  }
}
