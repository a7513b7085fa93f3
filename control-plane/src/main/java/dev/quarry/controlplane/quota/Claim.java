package dev.quarry.controlplane.quota;

import java.util.Objects;

/**
 * One running job's claim on its model's budget.
 *
 * @param jobId the job
 * @param weight its priority weight
 * @param demandPerMinute the most it can use now (requests/min): its own cap, or what it sends when
 *     it does not use its whole share; infinite when it would take any share
 * @param capPerMinute the most it may be granted at all: its own cap, or infinite
 */
record Claim(String jobId, int weight, double demandPerMinute, double capPerMinute) {
  Claim {
    Objects.requireNonNull(jobId, "jobId");
    if (weight < 1 || !(demandPerMinute >= 0) || !(capPerMinute >= demandPerMinute)) {
      throw new IllegalArgumentException(
          "a claim needs weight >= 1 and 0 <= demand <= cap, was "
              + weight
              + ", "
              + demandPerMinute
              + ", "
              + capPerMinute);
    }
  }

  /** A claim with no cap of its own. */
  Claim(String jobId, int weight, double demandPerMinute) {
    this(jobId, weight, demandPerMinute, Double.POSITIVE_INFINITY);
  }
}
