package dev.quarry.controlplane.lifecycle;

import dev.quarry.controlplane.launch.JobLauncher;
import dev.quarry.controlplane.launch.LaunchException;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.job.spec.JobSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, resumes and stops the Flink job of a Quarry job, and records what happened in the store.
 * Every start goes through {@link #launchAndRecord}: the Flink job's id is recorded, or the job
 * fails saying why.
 */
final class FlinkJobControl {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkJobControl.class);
  static final String START_FAILED = "Could not start the Flink job: ";
  static final String RESUME_FAILED = "Could not resume the job from its checkpoint: ";

  private final JobLauncher launcher;
  private final JobSpecFactory specs;
  private final StoreUpdates updates;
  private final Runnable wake;

  /** Stops asked of the launcher and not yet failed, by job id: one at a time per job. */
  private final Map<String, CompletableFuture<Void>> stops = new ConcurrentHashMap<>();

  FlinkJobControl(JobLauncher launcher, JobSpecFactory specs, StoreUpdates updates, Runnable wake) {
    this.launcher = launcher;
    this.specs = specs;
    this.updates = updates;
    this.wake = wake;
  }

  /**
   * Starts an InProgress job's Flink job afresh; {@code job} is its record as the store has it now.
   */
  void start(JobRecord job) {
    launchAndRecord(job, null, JobStatus.IN_PROGRESS, START_FAILED);
  }

  /**
   * The Flink job is gone (the embedded cluster went down with an earlier control plane): resume it
   * from its newest retained checkpoint, or fail it saying why.
   */
  void resume(JobRecord job) {
    Optional<String> checkpoint = launcher.latestCheckpoint(specs.specFor(job));
    if (checkpoint.isEmpty()) {
      updates.move(
          job,
          job.status(),
          JobStatus.FAILED,
          "The control plane restarted while the job was "
              + job.status().wireName()
              + " and no checkpoint was retained to resume it from; "
              + "output committed before the restart is kept");
      return;
    }
    launchAndRecord(job, checkpoint.get(), job.status(), RESUME_FAILED);
  }

  /**
   * Submits the job's Flink job (from {@code checkpoint}, or afresh when it is null) and records
   * its id. When that fails, for whatever reason, the job moves from {@code from} to Failed with
   * {@code failure} and the cause: a job the launcher cannot take must not be retried on every
   * pass.
   */
  private void launchAndRecord(JobRecord job, String checkpoint, JobStatus from, String failure) {
    try {
      JobSpec spec = specs.specFor(job);
      String flinkJobId = launcher.launch(spec, checkpoint);
      updates.updateLatest(job.jobId(), b -> b.flinkJobId(flinkJobId));
      stops.remove(job.jobId());
      if (checkpoint == null) {
        LOG.info("Job {} runs as Flink job {}", job.jobId(), flinkJobId);
      } else {
        LOG.info("Job {} resumed from {} as Flink job {}", job.jobId(), checkpoint, flinkJobId);
      }
    } catch (LaunchException | RuntimeException e) {
      LOG.error("Job {} could not be launched", job.jobId(), e);
      updates.move(job, from, JobStatus.FAILED, failure + e.getMessage());
    }
  }

  /** Asks the launcher to stop the running Flink job, unless a stop is already under way. */
  void stop(JobRecord job) {
    if (stops.containsKey(job.jobId())) {
      return;
    }
    CompletableFuture<Void> stop = launcher.stop(job.flinkJobId(), specs.specFor(job));
    stops.put(job.jobId(), stop);
    stop.whenComplete(
        (ok, error) -> {
          if (error != null) {
            LOG.warn("Stopping job {} failed; the next pass tries again", job.jobId(), error);
            stops.remove(job.jobId());
          }
          wake.run();
        });
  }

  /** The Flink job has ended: a later stop of this job is a new one. */
  void ended(JobRecord job) {
    stops.remove(job.jobId());
  }
}
