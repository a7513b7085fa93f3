package dev.quarry.controlplane.routes;

/**
 * A route's own budgets; {@code null} leaves the job default (or the model's own budget) in force.
 * A route with a request or token budget is one quota pool: the control plane divides that budget
 * among every running job on the route's models, as it divides a Bedrock model's.
 *
 * @param requestsPerMinute requests per minute shared by the jobs on the route (each job's cap too)
 * @param tokensPerMinute tokens per minute shared by the jobs on the route (each job's cap too)
 * @param maxConcurrency calls in flight per subtask (a small server wants few)
 * @param maxShare the fraction of the route's budget its batch jobs may use together, leaving the
 *     rest to other callers of the same server; {@code null} for all of it
 */
public record RouteBudgets(
    Integer requestsPerMinute, Long tokensPerMinute, Integer maxConcurrency, Double maxShare) {
  public RouteBudgets {
    if (requestsPerMinute != null && requestsPerMinute < 0
        || tokensPerMinute != null && tokensPerMinute < 0
        || maxConcurrency != null && maxConcurrency < 1
        || maxShare != null && !(maxShare > 0 && maxShare <= 1)) {
      throw new IllegalArgumentException(
          "route budgets: requests-per-minute and tokens-per-minute must be >= 0,"
              + " max-concurrency >= 1, 0 < max-share <= 1");
    }
  }

  /** No budget of its own. */
  public static final RouteBudgets NONE = new RouteBudgets(null, null, null, null);

  /** Whether the route has a request or token budget its jobs share. */
  public boolean shared() {
    return requestsPerMinute != null && requestsPerMinute > 0
        || tokensPerMinute != null && tokensPerMinute > 0;
  }
}
