package dev.quarry.controlplane.quota;

import java.util.Objects;

/**
 * A job's share of its model's budget, as written to the grant table; 0 means no limit of that
 * kind.
 *
 * @param reason why the share is what it is, for the log and the table
 */
record Grant(
    String jobId,
    String modelId,
    int weight,
    double requestsPerMinute,
    double tokensPerMinute,
    String reason) {
  Grant {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(reason, "reason");
    if (!(requestsPerMinute >= 0) || !(tokensPerMinute >= 0)) {
      throw new IllegalArgumentException("a grant is at least 0");
    }
  }
}
