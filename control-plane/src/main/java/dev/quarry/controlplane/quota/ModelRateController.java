package dev.quarry.controlplane.quota;

/**
 * Finds the request rate a model accepts when nobody told Quarry its limit, for every job on the
 * model at once: TCP CUBIC on the control plane's period, fed with the calls and 429s the jobs
 * report.
 *
 * <p>On a model it knows nothing about it starts low and doubles every second while the jobs use
 * all of it (slow start). At a throttle it remembers the rate the model accepted ({@code wMax}),
 * cuts to {@link #BETA} of it and climbs back along a cubic that flattens out at {@code wMax}
 * {@link #PLATEAU_SECONDS} later and only then probes above it, slowly at first. So the rate spends
 * most of its time just under the limit, and an overshoot is small and short: that is what keeps
 * the 429s few. Started from a rate it learned before, it begins on the plateau of that rate.
 *
 * <p>It grows only while the jobs are held back by it (their calls wait for the rate), as TCP
 * validates its window (RFC 7661): a rate nobody uses has not been tested against the model.
 */
final class ModelRateController {
  static final double BETA = 0.85;
  static final double PLATEAU_SECONDS = 6;
  // doubling a second, as TCP doubles its window per round trip: a model never seen is found in
  // seconds
  static final double SLOW_START_GROWTH_PER_SECOND = 1.0;

  /** Calls sent before a cut answer after it: throttles within this long of a cut are its echo. */
  static final long COOLDOWN_MILLIS = 1_000;

  static final double MIN_PER_MINUTE = 1;

  private double rate;
  private boolean slowStart;
  private double wMax;

  /** When the current cubic began, moved on by the time the rate went unused. */
  private double epochSeconds;

  private double lastUpdateSeconds;
  private double lastCutSeconds = Double.NEGATIVE_INFINITY;

  /**
   * @param perMinute where to start
   * @param learned whether it is a rate learned before (start on its plateau) rather than a first
   *     guess (slow start)
   * @param nowMillis the time of the start
   */
  ModelRateController(double perMinute, boolean learned, long nowMillis) {
    rate = Math.max(MIN_PER_MINUTE, perMinute);
    slowStart = !learned;
    wMax = rate;
    lastUpdateSeconds = nowMillis / 1000.0;
    epochSeconds = lastUpdateSeconds - PLATEAU_SECONDS;
  }

  /** The rate in force, requests per minute. */
  double rate() {
    return rate;
  }

  /** Whether it is still looking for the first throttle. */
  boolean slowStart() {
    return slowStart;
  }

  /**
   * One period's figures of every job on the model.
   *
   * @param nowMillis the end of the period
   * @param accepted calls answered without throttling in the period
   * @param throttled calls answered 429 in the period
   * @param saturated whether some job's calls waited for the rate
   * @return whether the rate was cut
   */
  boolean update(long nowMillis, long accepted, long throttled, boolean saturated) {
    double now = nowMillis / 1000.0;
    double elapsed = Math.max(0, now - lastUpdateSeconds);
    lastUpdateSeconds = now;
    if (throttled > 0) {
      if (now - lastCutSeconds >= COOLDOWN_MILLIS / 1000.0) {
        cut(now, elapsed > 0 ? accepted * 60 / elapsed : rate);
        return true;
      }
      return false;
    }
    if (!saturated) {
      epochSeconds += elapsed; // unused time does not count towards the climb
      return false;
    }
    if (slowStart) {
      rate *= Math.pow(1 + SLOW_START_GROWTH_PER_SECOND, elapsed);
    } else {
      double t = now - epochSeconds - PLATEAU_SECONDS;
      double c = wMax * (1 - BETA) / Math.pow(PLATEAU_SECONDS, 3);
      rate = Math.max(rate, wMax + c * t * t * t);
    }
    return false;
  }

  /**
   * The model throttled: remember the rate it accepted (the rate in force; in slow start, which
   * overshoots by the second or so the 429s take to come back, what got through, at least the rate
   * of a second ago) and cut below it.
   */
  private void cut(double now, double acceptedPerMinute) {
    wMax =
        slowStart
            ? Math.min(rate, Math.max(acceptedPerMinute, rate / (1 + SLOW_START_GROWTH_PER_SECOND)))
            : rate;
    rate = Math.max(MIN_PER_MINUTE, wMax * BETA);
    slowStart = false;
    epochSeconds = now;
    lastCutSeconds = now;
  }
}
