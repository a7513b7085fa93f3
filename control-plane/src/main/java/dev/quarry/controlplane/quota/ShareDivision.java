package dev.quarry.controlplane.quota;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Divides one model's budget among the claims on it: in proportion to their weights, except that a
 * job never gets more than it can use and what it leaves goes to the others in the same proportion
 * (weighted max-min fairness, by water-filling). When every claim is met, what is left is spread
 * over them all by weight: the budget is always handed out whole, so a job alone on its model, or
 * jobs that all went quiet for a moment, keep the whole budget instead of the little they used
 * (seen: a lone job that sent nothing for 2 s was cut to the 6/min floor, and the next record it
 * read waited for that rate).
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
    // part of what is left), so what a satisfied claim leaves flows to the hungrier ones.
    claims.forEach(c -> shares.put(c.jobId(), 0.0));
    double left = fill(budget, claims, Claim::demandPerMinute, shares);
    if (left > 0) {
      // Every claim is met: the rest goes by weight up to each job's own cap.
      fill(left, claims, c -> c.capPerMinute() - shares.get(c.jobId()), shares);
    }
    return shares;
  }

  /**
   * Water-fills {@code budget} into {@code shares} up to each claim's room; returns what is left.
   */
  private static double fill(
      double budget, List<Claim> claims, ToDoubleFunction<Claim> room, Map<String, Double> shares) {
    List<Claim> open = new ArrayList<>(claims);
    open.sort(
        Comparator.comparingDouble((Claim c) -> room.applyAsDouble(c) / c.weight())
            .thenComparing(Claim::jobId));
    double left = budget;
    int weightLeft = open.stream().mapToInt(Claim::weight).sum();
    for (Claim c : open) {
      double share = Math.min(left * c.weight() / weightLeft, room.applyAsDouble(c));
      shares.merge(c.jobId(), share, Double::sum);
      left -= share;
      weightLeft -= c.weight();
    }
    return left;
  }
}
