package dev.quarry.controlplane.lifecycle;

import dev.quarry.controlplane.api.ApiException;
import dev.quarry.controlplane.api.CreateJobRequest;
import dev.quarry.controlplane.api.JobArns;
import dev.quarry.controlplane.api.Tag;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.launch.FlinkJobState;
import dev.quarry.controlplane.launch.JobLauncher;
import dev.quarry.controlplane.launch.LaunchException;
import dev.quarry.controlplane.store.CreateResult;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.StatusChange;
import dev.quarry.job.spec.InvocationType;
import dev.quarry.job.spec.JobSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves jobs through Bedrock's states: Submitted → Validating → Scheduled (a FIFO queue with a limit
 * on running jobs) → InProgress (its Flink job runs) → Completed; Stop → Stopping → Stopped; timeouts
 * → Expired or PartiallyCompleted; a Flink failure → Failed.
 *
 * <p>One thread does all of it, woken by API calls and by a timer. Every move is a conditional update
 * in the store, so a move another replica (or a racing stop) already made simply does not happen
 * twice. The clock is injected, so tests can let a 24-hour timeout pass in a millisecond.
 */
public final class JobLifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobLifecycle.class);
  private static final Set<JobStatus> STOPPABLE =
      EnumSet.of(JobStatus.SUBMITTED, JobStatus.VALIDATING, JobStatus.SCHEDULED, JobStatus.IN_PROGRESS);
  /** How long an InProgress job may lack a Flink job id before it is taken as never launched. */
  static final Duration LAUNCH_GRACE = Duration.ofMinutes(1);
  private static final Set<JobStatus> NOT_STARTED =
      EnumSet.of(JobStatus.SUBMITTED, JobStatus.VALIDATING, JobStatus.SCHEDULED);

  private final JobStore store;
  private final JobLauncher launcher;
  private final InputValidator validator;
  private final JobSpecFactory specs;
  private final JobArns arns;
  private final Clock clock;
  private final ControlPlaneConfig.Lifecycle settings;
  private final ScheduledExecutorService loop;
  private final ExecutorService validations;
  private final Set<String> validating = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Void>> stops = new ConcurrentHashMap<>();
  private final FinishNudge finishNudge = new FinishNudge();

  public JobLifecycle(JobStore store, JobLauncher launcher, InputValidator validator, JobSpecFactory specs,
      JobArns arns, Clock clock, ControlPlaneConfig.Lifecycle settings) {
    this.store = store;
    this.launcher = launcher;
    this.validator = validator;
    this.specs = specs;
    this.arns = arns;
    this.clock = clock;
    this.settings = settings;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "quarry-lifecycle"));
    this.validations = Executors.newFixedThreadPool(2, r -> daemon(r, "quarry-validation"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts the loop; its first pass reconciles what an earlier run of the control plane left. */
  public void start() {
    loop.scheduleWithFixedDelay(this::tickSafely, 0, settings.pollIntervalMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for a pass now rather than at the next timer tick. */
  public void wake() {
    loop.execute(this::tickSafely);
  }

  /** Records a new job (or returns the one created earlier with the same client request token). */
  public CreateResult create(CreateJobRequest request) {
    Instant now = clock.instant();
    String jobId = arns.newJobId();
    int timeoutHours = request.timeoutDurationInHours() != null
        ? request.timeoutDurationInHours() : settings.defaultTimeoutHours();
    JobRecord job = JobRecord.builder()
        .jobId(jobId)
        .jobArn(arns.arn(jobId))
        .jobName(request.jobName())
        .modelId(request.modelId())
        .roleArn(request.roleArn())
        .clientRequestToken(request.clientRequestToken())
        .status(JobStatus.SUBMITTED)
        .submitTime(now)
        .lastModifiedTime(now)
        .inputConfigJson(request.inputDataConfig().toString())
        .outputConfigJson(request.outputDataConfig().toString())
        .vpcConfigJson(request.vpcConfig() == null ? null : request.vpcConfig().toString())
        // The values in force, not the request's nulls: Get and List show them, and boto3 code reads them.
        .timeoutDurationInHours(timeoutHours)
        .jobExpirationTime(now.plus(Duration.ofHours(timeoutHours)))
        .modelInvocationType(request.modelInvocationType() != null
            ? request.modelInvocationType() : InvocationType.INVOKE_MODEL.wireName())
        .build();
    CreateResult result = store.createIfAbsent(job);
    if (result.created()) {
      if (!request.tags().isEmpty()) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : request.tags()) {
          tags.put(t.key(), t.value());
        }
        store.tag(result.job().jobArn(), tags);
      }
      wake();
    }
    return result;
  }

  /** Stops a job that is not yet terminal; a terminal or already stopping job is a ValidationException. */
  public void stop(String jobId) {
    JobRecord job = store.find(jobId).orElseThrow(() -> notFound(jobId));
    if (!STOPPABLE.contains(job.status())) {
      throw notStoppable(job);
    }
    Optional<JobRecord> moved = store.transition(jobId, STOPPABLE, JobStatus.STOPPING, StatusChange.at(clock.instant()));
    if (moved.isEmpty()) {
      throw notStoppable(store.find(jobId).orElseThrow(() -> notFound(jobId)));
    }
    wake();
  }

  static ApiException notFound(String jobId) {
    return ApiException.notFound("Model invocation job " + jobId + " does not exist");
  }

  private static ApiException notStoppable(JobRecord job) {
    return ApiException.validation("Job " + job.jobArn() + " is " + job.status().wireName()
        + "; only a job that is Submitted, Validating, Scheduled or InProgress can be stopped");
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
      if (!expire(job, now) && move(job, JobStatus.SUBMITTED, JobStatus.VALIDATING, null)) {
        startValidation(job);
      }
    }
    for (JobRecord job : store.findByStatus(EnumSet.of(JobStatus.VALIDATING))) {
      if (!expire(job, now) && !validating.contains(job.jobId())) {
        startValidation(job); // left Validating by an earlier run of the control plane
      }
    }
    List<JobRecord> running = store.findByStatus(EnumSet.of(JobStatus.IN_PROGRESS, JobStatus.STOPPING));
    int slots = settings.maxRunningJobs() - (int) running.stream().filter(j -> j.flinkJobId() != null).count();
    for (JobRecord job : store.findByStatus(EnumSet.of(JobStatus.SCHEDULED))) {
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
    return store.transition(job.jobId(), NOT_STARTED, JobStatus.EXPIRED, StatusChange.builder().at(now)
        .message("The job timed out before it began: it was still " + job.status().wireName()
            + " when its timeout of " + timeoutHours(job) + " hours ran out").build()).isPresent();
  }

  private int timeoutHours(JobRecord job) {
    return job.timeoutDurationInHours() != null ? job.timeoutDurationInHours() : settings.defaultTimeoutHours();
  }

  private void startValidation(JobRecord job) {
    if (!validating.add(job.jobId())) {
      return;
    }
    validations.execute(() -> {
      try {
        JobSpec spec = specs.specFor(job);
        InputCheck check = validator.validate(spec.inputUri(), spec.outputUri());
        if (check.isValid()) {
          updateLatest(job.jobId(), b -> b.totalRecordCount(check.totalRecordCount()));
          move(job, JobStatus.VALIDATING, JobStatus.SCHEDULED, null);
        } else {
          move(job, JobStatus.VALIDATING, JobStatus.FAILED, check.failure());
        }
      } catch (RuntimeException e) {
        LOG.error("Validation of job {} failed unexpectedly", job.jobId(), e);
        move(job, JobStatus.VALIDATING, JobStatus.FAILED, "Validation failed: " + e.getMessage());
      } finally {
        validating.remove(job.jobId());
        wake();
      }
    });
  }

  private boolean launch(JobRecord job) {
    if (!move(job, JobStatus.SCHEDULED, JobStatus.IN_PROGRESS, null)) {
      return false;
    }
    JobRecord current = store.find(job.jobId()).orElse(job);
    try {
      String flinkJobId = launcher.launch(specs.specFor(current), null);
      updateLatest(job.jobId(), b -> b.flinkJobId(flinkJobId));
      LOG.info("Job {} runs as Flink job {}", job.jobId(), flinkJobId);
    } catch (LaunchException | RuntimeException e) {
      LOG.error("Job {} could not be launched", job.jobId(), e);
      move(job, JobStatus.IN_PROGRESS, JobStatus.FAILED, "Could not start the Flink job: " + e.getMessage());
    }
    return true;
  }

  private void watchRunning(JobRecord job, Instant now) {
    if (job.flinkJobId() == null) {
      // Moved to InProgress by a control plane that died before its launch was recorded: nothing
      // ran, so start it afresh, once a replica that may still be launching it has had its chance.
      if (Duration.between(job.lastModifiedTime(), now).compareTo(LAUNCH_GRACE) > 0) {
        relaunch(job);
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
        if (runningDone && !job.stopRequested() && finishNudge.due(job.jobId(), System.nanoTime())) {
          LOG.debug("Job {} has processed every record but not finished: asking for a checkpoint", job.jobId());
          launcher.requestCheckpoint(job.flinkJobId());
        }
        boolean timedOut = job.jobExpirationTime() != null && !now.isBefore(job.jobExpirationTime());
        if (timedOut && !job.stopRequested()) {
          updateLatest(job.jobId(), b -> b.stopRequested(true));
          LOG.info("Job {} reached its timeout; stopping it and keeping its work", job.jobId());
        }
        if (timedOut || job.stopRequested()) {
          issueStop(job);
        }
      }
      case FINISHED -> {
        stops.remove(job.jobId());
        if (job.stopRequested()) {
          move(job, JobStatus.IN_PROGRESS, JobStatus.PARTIALLY_COMPLETED,
              "Not all of your records could be processed in time: the job reached its timeout of "
                  + timeoutHours(job) + " hours. The records processed so far are in the output and the manifest.");
        } else {
          Optional<String> shortfall = CompletionCheck.shortfall(specs.specFor(job));
          if (shortfall.isPresent()) {
            move(job, JobStatus.IN_PROGRESS, JobStatus.FAILED, shortfall.get());
          } else {
            move(job, JobStatus.IN_PROGRESS, JobStatus.COMPLETED, null);
          }
        }
      }
      case FAILED -> move(job, JobStatus.IN_PROGRESS, JobStatus.FAILED, "The Flink job failed: " + state.failureCause());
      case CANCELED -> move(job, JobStatus.IN_PROGRESS, JobStatus.FAILED, "The Flink job was cancelled outside Quarry");
      case UNKNOWN -> resume(job);
      default -> throw new IllegalStateException("Unknown phase " + state.phase());
    }
  }

  /** Every record counted at validation has been reported processed. */
  private static boolean allProcessed(JobRecord job) {
    return job.totalRecordCount() != null && job.counts() != null
        && job.counts().processed() >= job.totalRecordCount();
  }

  private void relaunch(JobRecord job) {
    try {
      String flinkJobId = launcher.launch(specs.specFor(job), null);
      updateLatest(job.jobId(), b -> b.flinkJobId(flinkJobId));
      LOG.info("Job {} was never started; it runs now as Flink job {}", job.jobId(), flinkJobId);
    } catch (LaunchException e) {
      move(job, JobStatus.IN_PROGRESS, JobStatus.FAILED, "Could not start the Flink job: " + e.getMessage());
    }
  }

  private void watchStopping(JobRecord job) {
    if (job.flinkJobId() == null) {
      move(job, JobStatus.STOPPING, JobStatus.STOPPED, null); // stopped before it ever ran
      return;
    }
    FlinkJobState state = launcher.state(job.flinkJobId());
    switch (state.phase()) {
      case RUNNING -> issueStop(job);
      case FINISHED, CANCELED -> {
        stops.remove(job.jobId());
        move(job, JobStatus.STOPPING, JobStatus.STOPPED, null);
      }
      case FAILED -> move(job, JobStatus.STOPPING, JobStatus.FAILED, "The Flink job failed while stopping: "
          + state.failureCause());
      case UNKNOWN -> resume(job);
      default -> throw new IllegalStateException("Unknown phase " + state.phase());
    }
  }

  private void issueStop(JobRecord job) {
    if (stops.containsKey(job.jobId())) {
      return;
    }
    CompletableFuture<Void> stop = launcher.stop(job.flinkJobId(), specs.specFor(job));
    stops.put(job.jobId(), stop);
    stop.whenComplete((ok, error) -> {
      if (error != null) {
        LOG.warn("Stopping job {} failed; the next pass tries again", job.jobId(), error);
        stops.remove(job.jobId());
      }
      wake();
    });
  }

  /**
   * The Flink job is gone (the embedded cluster went down with an earlier control plane): resume it
   * from its newest retained checkpoint, or fail it saying why.
   */
  private void resume(JobRecord job) {
    JobSpec spec = specs.specFor(job);
    Optional<String> checkpoint = launcher.latestCheckpoint(spec);
    if (checkpoint.isEmpty()) {
      move(job, job.status(), JobStatus.FAILED, "The control plane restarted while the job was "
          + job.status().wireName() + " and no checkpoint was retained to resume it from; "
          + "output committed before the restart is kept");
      return;
    }
    try {
      String flinkJobId = launcher.launch(spec, checkpoint.get());
      updateLatest(job.jobId(), b -> b.flinkJobId(flinkJobId));
      stops.remove(job.jobId());
      LOG.info("Job {} resumed from {} as Flink job {}", job.jobId(), checkpoint.get(), flinkJobId);
    } catch (LaunchException e) {
      move(job, job.status(), JobStatus.FAILED, "Could not resume the job from its checkpoint: " + e.getMessage());
    }
  }

  /** Changes fields other than the status on the newest version of the job, retrying lost races. */
  private void updateLatest(String jobId, java.util.function.Consumer<JobRecord.Builder> changes) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<JobRecord> current = store.find(jobId);
      if (current.isEmpty() || store.update(jobId, current.get().version(), changes)) {
        return;
      }
    }
    throw new IllegalStateException("Job " + jobId + " kept changing while it was being updated");
  }

  private boolean move(JobRecord job, JobStatus from, JobStatus to, String message) {
    return store.transition(job.jobId(), EnumSet.of(from), to,
        StatusChange.builder().at(clock.instant()).message(message).build()).isPresent();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    validations.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
