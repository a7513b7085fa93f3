package dev.quarry.job.invoke;

import dev.quarry.job.quota.RateGrant;
import dev.quarry.job.spec.InvokeLimits;

/**
 * One subtask's budget: the job's grant, capped by the job's own limits, split evenly over its
 * subtasks.
 *
 * @param requestsPerSecond calls per second, 0 for none
 * @param tokensPerSecond tokens per second, 0 for none
 */
record SubtaskBudget(double requestsPerSecond, double tokensPerSecond) {

  SubtaskBudget {
    if (!(requestsPerSecond >= 0) || !(tokensPerSecond >= 0)) {
      throw new IllegalArgumentException("budgets are at least 0");
    }
  }

  /** The job's own limits only (no grant). */
  static SubtaskBudget of(InvokeLimits limits, int parallelism) {
    return of(limits, RateGrant.UNLIMITED, parallelism);
  }

  /**
   * {@code min(grant, own limit)} per kind, 0 meaning none, divided over {@code parallelism}
   * subtasks.
   */
  static SubtaskBudget of(InvokeLimits limits, RateGrant grant, int parallelism) {
    return new SubtaskBudget(
        lowerOf(grant.requestsPerMinute(), limits.requestsPerMinute()) / 60.0 / parallelism,
        lowerOf(grant.tokensPerMinute(), limits.tokensPerMinute()) / 60.0 / parallelism);
  }

  private static double lowerOf(double a, double b) {
    if (a <= 0) {
      return b;
    }
    return b <= 0 ? a : Math.min(a, b);
  }
}
