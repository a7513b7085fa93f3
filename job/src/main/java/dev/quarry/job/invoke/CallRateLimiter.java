package dev.quarry.job.invoke;

/**
 * Paces one subtask's model calls to its budget (its share of the job's grant and limits, which may
 * change while it runs) and to the rate its {@link RateAdjuster} allows.
 *
 * <p>Non-blocking: {@link #tryAcquire} takes a slot or says how long until one is due, so the
 * caller schedules the call instead of parking a thread. Slots are spaced evenly (no bursts), which
 * keeps a provider's own token bucket from throttling a job that runs at exactly its limit.
 *
 * <p>At high rates (thousands of calls a second, a slot every few hundred microseconds) a timer per
 * slot would cost a thread wake-up per call and lose every slot its wake-up came late for. So slots
 * missed by less than {@link #CATCH_UP_NANOS} are still taken, at once, and the caller need not
 * wake up more often than every {@link #MIN_WAIT_NANOS}: a window of any length sees at most 20 ms
 * worth of calls beyond the rate, and at rates of 50 a second or less (a slot every 20 ms or more)
 * nothing changes.
 */
public final class CallRateLimiter {
  /** Slots missed by less than this are still taken (at least one interval is always kept). */
  static final long CATCH_UP_NANOS = 20_000_000L;

  /**
   * The shortest wait worth a timer: slots due within it are taken when it fires, as catching up.
   */
  public static final long MIN_WAIT_NANOS = 1_000_000L;

  private double requestsPerSecond;
  private double tokensPerSecond;
  private final RateAdjuster adaptive;
  private long nextRequestNanos;
  private long nextTokenNanos;

  /**
   * Whether a slot was ever taken: System.nanoTime() may be negative, so no time value can mean
   * never.
   */
  private boolean started;

  /** When a call last had to wait for the request rate, and whether one ever did. */
  private long lastPacedNanos;

  private boolean everPaced;

  /**
   * @param requestsPerSecond this subtask's request budget, 0 for none
   * @param tokensPerSecond this subtask's token budget, 0 for none
   * @param adaptive what moves the rate with the model's answers, or {@code null} when throttling
   *     should not lower the rate
   */
  CallRateLimiter(double requestsPerSecond, double tokensPerSecond, RateAdjuster adaptive) {
    this.requestsPerSecond = requestsPerSecond;
    this.tokensPerSecond = tokensPerSecond;
    this.adaptive = adaptive;
  }

  /**
   * Takes the next slot for a call costing {@code tokens} if it is due; otherwise books nothing and
   * returns how many nanoseconds until it is. Slots are taken one at a time, when a call is really
   * sent, so a rate lowered by throttling applies to the very next call, not after a backlog of
   * calls booked at the old rate.
   */
  public synchronized long tryAcquire(long nowNanos, long tokens) {
    double rate = effectiveRequestRate();
    boolean paced = rate > 0 && !Double.isInfinite(rate);
    long wait = 0;
    if (started && paced) {
      wait = nextRequestNanos - nowNanos;
      if (wait > 0) {
        lastPacedNanos = nowNanos;
        everPaced = true;
      }
    }
    if (started && tokensPerSecond > 0) {
      wait = Math.max(wait, nextTokenNanos - nowNanos);
    }
    if (wait > 0) {
      return wait;
    }
    if (paced) {
      // A wake-up less than one interval (or the catch-up time) late keeps the schedule (no drift);
      // after idle time the slots restart from now (no burst).
      long interval = (long) (1e9 / rate);
      long base =
          started && nowNanos - nextRequestNanos < Math.max(interval, CATCH_UP_NANOS)
              ? nextRequestNanos
              : nowNanos;
      nextRequestNanos = base + interval;
    }
    if (tokensPerSecond > 0) {
      nextTokenNanos =
          Math.max(started ? nextTokenNanos : nowNanos, nowNanos)
              + (long) (tokens * 1e9 / tokensPerSecond);
    }
    started = true;
    return 0;
  }

  /**
   * A new budget (a changed grant): the next slot is spaced at the new rate, and a call already
   * booked at a much slower rate is not kept waiting for it.
   */
  synchronized void setBudget(SubtaskBudget budget) {
    if (budget.requestsPerSecond() > requestsPerSecond && requestsPerSecond > 0 && started) {
      nextRequestNanos -= (long) (1e9 / requestsPerSecond - 1e9 / budget.requestsPerSecond());
    }
    requestsPerSecond = budget.requestsPerSecond();
    tokensPerSecond = budget.tokensPerSecond();
    if (adaptive != null) {
      adaptive.onBudget(requestsPerSecond);
    }
  }

  /** Returns the difference between reserved and actually used tokens to the budget. */
  public synchronized void settle(long reservedTokens, long usedTokens) {
    if (tokensPerSecond > 0 && reservedTokens != usedTokens) {
      nextTokenNanos -= (long) ((reservedTokens - usedTokens) * 1e9 / tokensPerSecond);
    }
  }

  /**
   * The model throttled a call sent at {@code sentAtNanos}: the adaptive rate, if any, goes down.
   */
  public void onThrottled(long nowNanos, long sentAtNanos) {
    if (adaptive != null) {
      adaptive.onThrottled(nowNanos, sentAtNanos);
    }
  }

  /**
   * The model answered a call: the adaptive rate, if any, learns from it, and climbs only if calls
   * had to wait for it lately (within a second, or three slots at a slow rate).
   */
  public void onSuccess(long nowNanos) {
    if (adaptive != null) {
      adaptive.onSuccess(nowNanos, pacedSince(nowNanos));
    }
  }

  /**
   * Whether calls had to wait for the request rate lately: the subtask could use more than it has.
   */
  synchronized boolean pacedSince(long nowNanos) {
    if (!everPaced) {
      return false;
    }
    double rate = effectiveRequestRate();
    long window =
        Math.max(1_000_000_000L, Double.isInfinite(rate) || rate <= 0 ? 0 : (long) (3e9 / rate));
    return nowNanos - lastPacedNanos <= window;
  }

  /** The request rate in force: the configured budget or the adaptive rate, whichever is lower. */
  public synchronized double effectiveRequestRate() {
    double configured = requestsPerSecond > 0 ? requestsPerSecond : Double.POSITIVE_INFINITY;
    double found = adaptive == null ? Double.POSITIVE_INFINITY : adaptive.rate();
    return Math.min(configured, found);
  }
}
