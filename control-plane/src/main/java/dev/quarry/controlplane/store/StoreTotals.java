package dev.quarry.controlplane.store;

import dev.quarry.job.progress.ModelCallCounts;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Totals over every job in the store, as the jobs reported them, for the control plane's {@code
 * /metrics}. The counts only ever grow while the jobs stay in the store: a job's records and tokens
 * are the largest any run of its writer reported (or its final counts, if larger), and its calls
 * are the sums over every run of its model-call subtasks, so a job restored from a checkpoint takes
 * nothing back and counts nothing twice.
 *
 * @param jobs how many jobs each account has in each status (statuses with none are left out)
 * @param usage records and tokens per account and model
 * @param calls model calls per model id, as jobs name their model
 */
public record StoreTotals(
    List<StatusCount> jobs, List<Usage> usage, Map<String, ModelCallCounts> calls) {

  public StoreTotals {
    jobs = List.copyOf(jobs);
    usage = List.copyOf(usage);
    calls = Map.copyOf(calls);
  }

  /** How many of an account's jobs are in one status. */
  public record StatusCount(String accountId, JobStatus status, long jobs) {
    public StatusCount {
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(status, "status");
      if (jobs < 0) {
        throw new IllegalArgumentException("a job count is >= 0, was " + jobs);
      }
    }
  }

  /** The records and tokens of an account's jobs on one model. */
  public record Usage(String accountId, String modelId, JobCounts counts) {
    public Usage {
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(counts, "counts");
    }
  }
}
