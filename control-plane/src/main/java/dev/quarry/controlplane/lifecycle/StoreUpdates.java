package dev.quarry.controlplane.lifecycle;

import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.StatusChange;
import dev.quarry.job.listing.ValidatedFile;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The reconciler's writes to the status store. Every one is conditional, so a move another replica
 * (or a racing stop) already made simply does not happen twice.
 */
final class StoreUpdates {
  private static final int UPDATE_ATTEMPTS = 10;

  private final JobStore store;
  private final Clock clock;

  StoreUpdates(JobStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Moves the job from {@code from} to {@code to}, now; false if it was no longer {@code from}. */
  boolean move(JobRecord job, JobStatus from, JobStatus to, String message) {
    return store
        .transition(
            job.jobId(),
            EnumSet.of(from),
            to,
            StatusChange.builder().at(clock.instant()).message(message).build())
        .isPresent();
  }

  /** Stores what validation counted (the files and their total), if the job is still Validating. */
  boolean recordValidatedInput(String jobId, List<ValidatedFile> files) {
    return store.recordValidatedInput(jobId, files);
  }

  /** Changes fields other than the status on the newest version of the job, retrying lost races. */
  void updateLatest(String jobId, Consumer<JobRecord.Builder> changes) {
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      Optional<JobRecord> current = store.find(jobId);
      if (current.isEmpty() || store.update(jobId, current.get().version(), changes)) {
        return;
      }
    }
    throw new IllegalStateException("Job " + jobId + " kept changing while it was being updated");
  }
}
