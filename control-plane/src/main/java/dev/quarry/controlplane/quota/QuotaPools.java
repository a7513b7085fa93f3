package dev.quarry.controlplane.quota;

import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.config.ControlPlaneConfig.ModelLimits;
import dev.quarry.controlplane.config.ModelBudgets;
import dev.quarry.controlplane.routes.ModelCatalog;
import dev.quarry.controlplane.routes.RouteBudgets;
import dev.quarry.job.spec.InvokeLimits;
import java.util.function.Function;

/**
 * Which pool a job's model puts it in, and the limits each job runs with on its own: a model on a
 * route that has a request or token budget is in the route's pool; any other model is its own pool,
 * with its {@code quarry.model.<id>} budget if it has one.
 */
final class QuotaPools {
  private final ModelBudgets budgets;
  private final ModelCatalog routes;
  private final Function<String, InvokeLimits> jobLimits;

  QuotaPools(ModelBudgets budgets, ModelCatalog routes, Function<String, InvokeLimits> jobLimits) {
    this.budgets = budgets;
    this.routes = routes;
    this.jobLimits = jobLimits;
  }

  /** The pools of the configuration: its model budgets, its routes, its per-job limits. */
  static QuotaPools of(ControlPlaneConfig config) {
    return new QuotaPools(config.modelBudgets(), config.routes(), config::limitsFor);
  }

  /** The pool the jobs on {@code modelId} share. */
  QuotaPool poolOf(String modelId) {
    return routes
        .entryFor(modelId)
        .filter(e -> e.budgets().shared())
        .map(e -> QuotaPool.ofRoute(e.name(), limits(e.budgets())))
        .orElseGet(() -> QuotaPool.ofModel(modelId, budgets.forModel(modelId).orElse(null)));
  }

  /**
   * The limits a job on {@code modelId} runs with whatever its share: the job defaults, its route's
   * and its model's budgets.
   */
  InvokeLimits jobLimits(String modelId) {
    return jobLimits.apply(modelId);
  }

  private static ModelLimits limits(RouteBudgets b) {
    return new ModelLimits(
        b.requestsPerMinute() == null ? 0 : b.requestsPerMinute(),
        b.tokensPerMinute() == null ? 0 : b.tokensPerMinute(),
        b.maxShare() == null ? 1.0 : b.maxShare());
  }
}
