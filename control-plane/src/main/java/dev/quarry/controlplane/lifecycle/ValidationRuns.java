package dev.quarry.controlplane.lifecycle;

import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.job.spec.JobSpec;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates Validating jobs off the reconciler's thread (listing and sampling S3 takes seconds), at
 * most one run per job, and moves each to Scheduled with its record count and the files its source
 * will read, or to Failed saying why.
 */
final class ValidationRuns implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ValidationRuns.class);
  private static final int THREADS = 2;

  private final InputValidator validator;
  private final JobSpecFactory specs;
  private final StoreUpdates updates;
  private final Runnable wake;
  private final ExecutorService pool;
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  ValidationRuns(
      InputValidator validator, JobSpecFactory specs, StoreUpdates updates, Runnable wake) {
    this.validator = validator;
    this.specs = specs;
    this.updates = updates;
    this.wake = wake;
    this.pool =
        Executors.newFixedThreadPool(THREADS, r -> JobReconciler.daemon(r, "quarry-validation"));
  }

  /** Whether the job is being validated now. */
  boolean running(String jobId) {
    return running.contains(jobId);
  }

  /** Validates the job unless that is already under way; wakes the reconciler when done. */
  void start(JobRecord job) {
    if (!running.add(job.jobId())) {
      return;
    }
    pool.execute(
        () -> {
          try {
            JobSpec spec = specs.specFor(job);
            InputCheck check = validator.validate(spec.inputUri(), spec.outputUri());
            if (check.isValid()) {
              // The listing first: the job, once Scheduled, reads exactly these files.
              if (updates.recordValidatedInput(job.jobId(), check.files())) {
                updates.move(job, JobStatus.VALIDATING, JobStatus.SCHEDULED, null);
              }
            } else {
              updates.move(job, JobStatus.VALIDATING, JobStatus.FAILED, check.failure());
            }
          } catch (RuntimeException e) {
            LOG.error("Validation of job {} failed unexpectedly", job.jobId(), e);
            updates.move(
                job,
                JobStatus.VALIDATING,
                JobStatus.FAILED,
                "Validation failed: " + e.getMessage());
          } finally {
            running.remove(job.jobId());
            wake.run();
          }
        });
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
