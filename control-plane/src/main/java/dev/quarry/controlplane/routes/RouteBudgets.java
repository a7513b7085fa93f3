package dev.quarry.controlplane.routes;

/**
 * A route's own budgets; {@code null} leaves the job default (or the model's own budget) in force.
 *
 * @param requestsPerMinute requests per minute of each job on the route
 * @param tokensPerMinute tokens per minute of each job on the route
 * @param maxConcurrency calls in flight per subtask (a small server wants few)
 */
public record RouteBudgets(
    Integer requestsPerMinute, Long tokensPerMinute, Integer maxConcurrency) {
  public RouteBudgets {
    if (requestsPerMinute != null && requestsPerMinute < 0
        || tokensPerMinute != null && tokensPerMinute < 0
        || maxConcurrency != null && maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "route budgets: requests-per-minute and tokens-per-minute must be >= 0,"
              + " max-concurrency >= 1");
    }
  }

  /** No budget of its own. */
  public static final RouteBudgets NONE = new RouteBudgets(null, null, null);
}
