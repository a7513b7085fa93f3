package dev.quarry.controlplane.lifecycle;

import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.launch.FlinkJobState;
import dev.quarry.controlplane.launch.JobLauncher;
import dev.quarry.controlplane.quota.Priority;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.StatusChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves jobs through Bedrock's states in the background: Submitted → Validating → Scheduled (a FIFO
 * queue with a limit on running jobs) → InProgress (its Flink job runs) → Completed; Stopping →
 * Stopped; timeouts → Expired or PartiallyCompleted; a Flink failure → Failed.
 *
 * <p>One thread makes every decision, woken by {@link JobCommands} and by a timer; each pass reads
 * the store afresh, so it also picks up what an earlier run of the control plane (or another
 * replica) left. The clock is injected, so tests can let a 24-hour timeout pass in a millisecond.
 */
public final class JobReconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobReconciler.class);

  /** How long an InProgress job may lack a Flink job id before it is taken as never launched. */
  static final Duration LAUNCH_GRACE = Duration.ofMinutes(1);

  private static final Set<JobStatus> NOT_STARTED =
      EnumSet.of(JobStatus.SUBMITTED, JobStatus.VALIDATING, JobStatus.SCHEDULED);

  private final JobStore store;
  private final JobLauncher launcher;
  private final JobSpecFactory specs;
  private final Clock clock;
  private final ControlPlaneConfig.Lifecycle settings;
  private final StoreUpdates updates;
  private final ValidationRuns validations;
  private final FlinkJobControl flinkJobs;
  private final ScheduledExecutorService loop;
  private final FinishNudge finishNudge = new FinishNudge();

  public JobReconciler(
      JobStore store,
      JobLauncher launcher,
      InputValidator validator,
      JobSpecFactory specs,
      Clock clock,
      ControlPlaneConfig.Lifecycle settings) {
    this.store = store;
    this.launcher = launcher;
    this.specs = specs;
    this.clock = clock;
    this.settings = settings;
    this.updates = new StoreUpdates(store, clock);
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "quarry-lifecycle"));
    this.validations = new ValidationRuns(validator, specs, updates, this::wake);
    this.flinkJobs = new FlinkJobControl(launcher, specs, updates, this::wake);
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts the loop; its first pass reconciles what an earlier run of the control plane left. */
  public void start() {
    loop.scheduleWithFixedDelay(
        this::tickSafely, 0, settings.pollIntervalMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for a pass now rather than at the next timer tick. */
  public void wake() {
    loop.execute(this::tickSafely);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("Lifecycle pass failed; the next pass retries", e);
    }
  }

  /** One pass over every job that is not terminal. */
  void tick() {
    Instant now = clock.instant();
    for (JobRecord job : store.findByStatus(EnumSet.of(JobStatus.SUBMITTED))) {
      if (!expire(job, now) && updates.move(job, JobStatus.SUBMITTED, JobStatus.VALIDATING, null)) {
        validations.start(job);
      }
    }
    for (JobRecord job : store.findByStatus(EnumSet.of(JobStatus.VALIDATING))) {
      if (!expire(job, now) && !validations.running(job.jobId())) {
        validations.start(job); // left Validating by an earlier run of the control plane
      }
    }
    List<JobRecord> running =
        store.findByStatus(EnumSet.of(JobStatus.IN_PROGRESS, JobStatus.STOPPING));
    int slots =
        settings.maxRunningJobs()
            - (int) running.stream().filter(j -> j.flinkJobId() != null).count();
    List<JobRecord> scheduled = store.findByStatus(EnumSet.of(JobStatus.SCHEDULED));
    if (slots > 0 && scheduled.size() > 1) {
      // only when a slot is free does the order matter: tags are read then, not on every pass
      scheduled =
          QueueOrder.order(
              scheduled, job -> Priority.ofTag(store.tags(job.jobArn()).get(Priority.TAG)));
    }
    for (JobRecord job : scheduled) {
      if (expire(job, now)) {
        continue;
      }
      if (slots > 0 && launch(job)) {
        slots--;
      }
    }
    for (JobRecord job : store.findByStatus(EnumSet.of(JobStatus.IN_PROGRESS))) {
      watchRunning(job, now);
    }
    for (JobRecord job : store.findByStatus(EnumSet.of(JobStatus.STOPPING))) {
      watchStopping(job);
    }
  }

  /** A job not started by its deadline expires, as Bedrock's do. */
  private boolean expire(JobRecord job, Instant now) {
    if (job.jobExpirationTime() == null || now.isBefore(job.jobExpirationTime())) {
      return false;
    }
    return store
        .transition(
            job.jobId(),
            NOT_STARTED,
            JobStatus.EXPIRED,
            StatusChange.builder()
                .at(now)
                .message(
                    "The job timed out before it began: it was still "
                        + job.status().wireName()
                        + " when its timeout of "
                        + timeoutHours(job)
                        + " hours ran out")
                .build())
        .isPresent();
  }

  private int timeoutHours(JobRecord job) {
    return job.timeoutDurationInHours() != null
        ? job.timeoutDurationInHours()
        : settings.defaultTimeoutHours();
  }

  /**
   * Takes a Scheduled job into InProgress and starts it; false if another pass or replica got there
   * first.
   */
  private boolean launch(JobRecord job) {
    if (!updates.move(job, JobStatus.SCHEDULED, JobStatus.IN_PROGRESS, null)) {
      return false;
    }
    flinkJobs.start(store.find(job.jobId()).orElse(job));
    return true;
  }

  private void watchRunning(JobRecord job, Instant now) {
    if (job.flinkJobId() == null) {
      // Moved to InProgress by a control plane that died before its launch was recorded: nothing
      // ran, so start it afresh, once a replica that may still be launching it has had its chance.
      if (Duration.between(job.lastModifiedTime(), now).compareTo(LAUNCH_GRACE) > 0) {
        LOG.info("Job {} was never started; starting it now", job.jobId());
        flinkJobs.start(job);
      }
      return;
    }
    FlinkJobState state = launcher.state(job.flinkJobId());
    boolean runningDone = state.phase() == FlinkJobState.Phase.RUNNING && allProcessed(job);
    if (!runningDone) {
      finishNudge.forget(job.jobId());
    }
    switch (state.phase()) {
      case RUNNING -> {
        if (runningDone
            && !job.stopRequested()
            && finishNudge.due(job.jobId(), System.nanoTime())) {
          LOG.debug(
              "Job {} has processed every record but not finished: asking for a checkpoint",
              job.jobId());
          launcher.requestCheckpoint(job.flinkJobId());
        }
        boolean timedOut =
            job.jobExpirationTime() != null && !now.isBefore(job.jobExpirationTime());
        if (timedOut && !job.stopRequested()) {
          updates.updateLatest(job.jobId(), b -> b.stopRequested(true));
          LOG.info("Job {} reached its timeout; stopping it and keeping its work", job.jobId());
        }
        if (timedOut || job.stopRequested()) {
          flinkJobs.stop(job);
        }
      }
      case FINISHED -> {
        flinkJobs.ended(job);
        if (job.stopRequested()) {
          updates.move(
              job,
              JobStatus.IN_PROGRESS,
              JobStatus.PARTIALLY_COMPLETED,
              "Not all of your records could be processed in time: the job reached its timeout of "
                  + timeoutHours(job)
                  + " hours. The records processed so far are in the output and the manifest.");
        } else {
          Optional<String> shortfall =
              CompletionCheck.shortfall(
                  specs.specFor(job), () -> store.validatedInput(job.jobId()));
          if (shortfall.isPresent()) {
            updates.move(job, JobStatus.IN_PROGRESS, JobStatus.FAILED, shortfall.get());
          } else {
            updates.move(job, JobStatus.IN_PROGRESS, JobStatus.COMPLETED, null);
          }
        }
      }
      case FAILED ->
          updates.move(
              job,
              JobStatus.IN_PROGRESS,
              JobStatus.FAILED,
              "The Flink job failed: " + state.failureCause());
      case CANCELED ->
          updates.move(
              job,
              JobStatus.IN_PROGRESS,
              JobStatus.FAILED,
              "The Flink job was cancelled outside Quarry");
      case UNKNOWN -> flinkJobs.resume(job);
      default -> throw new IllegalStateException("Unknown phase " + state.phase());
    }
  }

  /** Every record counted at validation has been reported processed. */
  private static boolean allProcessed(JobRecord job) {
    return job.totalRecordCount() != null
        && job.counts() != null
        && job.counts().processed() >= job.totalRecordCount();
  }

  private void watchStopping(JobRecord job) {
    if (job.flinkJobId() == null) {
      updates.move(job, JobStatus.STOPPING, JobStatus.STOPPED, null); // stopped before it ever ran
      return;
    }
    FlinkJobState state = launcher.state(job.flinkJobId());
    switch (state.phase()) {
      case RUNNING -> flinkJobs.stop(job);
      case FINISHED, CANCELED -> {
        flinkJobs.ended(job);
        updates.move(job, JobStatus.STOPPING, JobStatus.STOPPED, null);
      }
      case FAILED ->
          updates.move(
              job,
              JobStatus.STOPPING,
              JobStatus.FAILED,
              "The Flink job failed while stopping: " + state.failureCause());
      case UNKNOWN -> flinkJobs.resume(job);
      default -> throw new IllegalStateException("Unknown phase " + state.phase());
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    validations.close();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
