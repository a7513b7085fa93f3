package dev.quarry.controlplane.quota;

import dev.quarry.controlplane.config.ControlPlaneConfig.ModelLimits;
import java.util.Locale;
import java.util.Objects;

/**
 * The jobs that share one budget: those on one model (Bedrock's quotas are per model per account),
 * or those on any model of a catalog route with a budget of its own (a server's capacity is the
 * server's, whatever model a job names).
 *
 * @param key the model id, or {@code route:<name>}; what the learned rate is kept under
 * @param budget the budget told for the pool, or {@code null} when none was
 */
record QuotaPool(String key, ModelLimits budget) {
  private static final String ROUTE = "route:";

  QuotaPool {
    Objects.requireNonNull(key, "key");
  }

  /** The pool of the jobs on {@code modelId}, with its own budget if it has one. */
  static QuotaPool ofModel(String modelId, ModelLimits budget) {
    return new QuotaPool(modelId, budget);
  }

  /** The pool of every job on a model of the route {@code name}. */
  static QuotaPool ofRoute(String name, ModelLimits budget) {
    return new QuotaPool(ROUTE + name, Objects.requireNonNull(budget, "budget"));
  }

  /** Whether the pool is a route's rather than one model's. */
  boolean isRoute() {
    return key.startsWith(ROUTE);
  }

  /** The pool as the log names it: "the model" or "route vllm". */
  String shown() {
    return isRoute() ? "route " + key.substring(ROUTE.length()) : "the model";
  }

  /** The pool as a log line begins: "Model <id>" or "Route <name>". */
  String label() {
    return isRoute() ? "Route " + key.substring(ROUTE.length()) : "Model " + key;
  }

  /** Requests per minute the pool's jobs may send together; 0 for none told. */
  double requestsPerMinute() {
    return budget == null ? 0 : budget.requestsPerMinute() * budget.maxShare();
  }

  /** Tokens per minute the pool's jobs may use together; 0 for none told. */
  double tokensPerMinute() {
    return budget == null ? 0 : budget.tokensPerMinute() * budget.maxShare();
  }

  /** Where the request budget comes from, for the grant's reason. */
  String budgetSource() {
    String owner = isRoute() ? " of " + shown() : "";
    return budget.maxShare() < 1
        ? String.format(
            Locale.ROOT,
            "budget %d/min%s x max-share %.2f",
            budget.requestsPerMinute(),
            owner,
            budget.maxShare())
        : String.format(Locale.ROOT, "budget %d/min%s", budget.requestsPerMinute(), owner);
  }
}
