package dev.quarry.controlplane.quota;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Divides one model's budget among the claims on it: in proportion to their weights, except that a
 * job never gets more than it can use and what it leaves goes to the others in the same proportion
 * (weighted max-min fairness, by water-filling).
 */
final class ShareDivision {
  private ShareDivision() {}

  /**
   * Each job's share of {@code budget} requests/min; all 0 (no limit) when the budget is 0 (none).
   */
  static Map<String, Double> divide(double budget, List<Claim> claims) {
    Map<String, Double> shares = new HashMap<>();
    if (budget <= 0) {
      claims.forEach(c -> shares.put(c.jobId(), 0.0));
      return shares;
    }
    // Fill the claims that want least per unit of weight first: each takes min(demand, its weighted
    // part of
    // what is left), so what a satisfied claim leaves flows to the hungrier ones.
    List<Claim> open = new ArrayList<>(claims);
    open.sort(
        Comparator.comparingDouble((Claim c) -> c.demandPerMinute() / c.weight())
            .thenComparing(Claim::jobId));
    double left = budget;
    int weightLeft = open.stream().mapToInt(Claim::weight).sum();
    for (Claim c : open) {
      double fair = left * c.weight() / weightLeft;
      double share = Math.min(fair, c.demandPerMinute());
      shares.put(c.jobId(), share);
      left -= share;
      weightLeft -= c.weight();
    }
    return shares;
  }
}
