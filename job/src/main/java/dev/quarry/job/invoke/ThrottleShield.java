package dev.quarry.job.invoke;

/**
 * The local reflex of a subtask that follows a granted rate: a 429 cuts its rate at once, below the
 * grant, and the cut heals over a couple of seconds.
 *
 * <p>The grant itself moves with the control plane's period (about a second from a 429 to a lowered
 * grant); this covers that gap, so a model that is suddenly busier (another tenant, a lower quota)
 * sees one round of throttles rather than a second of them. Calls sent before a cut answer for the
 * old rate and do not cut again.
 */
final class ThrottleShield implements RateAdjuster {
  static final double CUT_FACTOR = 0.8;
  static final double FLOOR = 0.25;
  static final long COOLDOWN_NANOS = 500_000_000L;

  /**
   * How long a cut from the full rate to the floor takes to heal; smaller cuts heal proportionally
   * sooner.
   */
  static final long RECOVERY_NANOS = 2_000_000_000L;

  private double budget;
  private double factor = 1;
  private boolean everCut;
  private long lastCutNanos;
  private long lastHealNanos;

  /**
   * @param requestsPerSecond the subtask's budget (calls per second), 0 for none
   */
  ThrottleShield(double requestsPerSecond) {
    this.budget = requestsPerSecond;
  }

  @Override
  public synchronized double rate() {
    return budget > 0 ? budget * factor : Double.POSITIVE_INFINITY;
  }

  @Override
  public synchronized void onBudget(double requestsPerSecond) {
    budget = requestsPerSecond;
  }

  @Override
  public synchronized void onThrottled(long nowNanos, long sentAtNanos) {
    if (everCut && (sentAtNanos < lastCutNanos || nowNanos - lastCutNanos < COOLDOWN_NANOS)) {
      return;
    }
    heal(nowNanos);
    factor = Math.max(FLOOR, factor * CUT_FACTOR);
    everCut = true;
    lastCutNanos = nowNanos;
  }

  @Override
  public synchronized void onSuccess(long nowNanos, boolean rateLimited) {
    heal(nowNanos);
  }

  /** The share of the budget in force, 1 when healed. */
  synchronized double factor() {
    return factor;
  }

  private void heal(long nowNanos) {
    if (factor < 1 && nowNanos > lastHealNanos) {
      factor =
          Math.min(1, factor + (1 - FLOOR) * (nowNanos - lastHealNanos) / (double) RECOVERY_NANOS);
    }
    lastHealNanos = nowNanos;
  }
}
