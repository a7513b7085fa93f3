package dev.quarry.controlplane.api;

import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStore;
import java.util.Optional;

/**
 * The one rule for which job a request may touch: a job of the caller's account, named by id or by
 * its own ARN. Every other case looks exactly like a missing job, so the ids of other accounts'
 * jobs cannot be probed.
 */
final class OwnedJob {
  private OwnedJob() {}

  /**
   * The job {@code jobId} if {@code caller}'s account owns it and, when {@code arn} is given, it is
   * the job's own ARN.
   */
  static Optional<JobRecord> find(JobStore store, Caller caller, String jobId, String arn) {
    return store
        .find(jobId)
        .filter(job -> job.accountId().equals(caller.account()))
        .filter(job -> arn == null || job.jobArn().equals(arn));
  }
}
