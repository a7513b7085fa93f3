package dev.quarry.controlplane.lifecycle;

import dev.quarry.controlplane.api.ApiException;
import dev.quarry.controlplane.api.CreateJobRequest;
import dev.quarry.controlplane.api.JobArns;
import dev.quarry.controlplane.api.Tag;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.store.CreateResult;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.StatusChange;
import dev.quarry.job.spec.InvocationType;
import dev.quarry.job.spec.RecordFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the API asks of the lifecycle: Create records a Submitted job, Stop moves one to Stopping.
 * Both only write the store and wake the {@link JobReconciler}, which does the rest.
 */
public final class JobCommands {
  private static final Set<JobStatus> STOPPABLE =
      EnumSet.of(
          JobStatus.SUBMITTED, JobStatus.VALIDATING, JobStatus.SCHEDULED, JobStatus.IN_PROGRESS);

  private final JobStore store;
  private final JobArns arns;
  private final Clock clock;
  private final ControlPlaneConfig.Lifecycle settings;
  private final JobReconciler reconciler;

  public JobCommands(
      JobStore store,
      JobArns arns,
      Clock clock,
      ControlPlaneConfig.Lifecycle settings,
      JobReconciler reconciler) {
    this.store = store;
    this.arns = arns;
    this.clock = clock;
    this.settings = settings;
    this.reconciler = reconciler;
  }

  /**
   * Records a new job of {@code accountId} (or returns the one that account created earlier with
   * the same client request token).
   */
  public CreateResult create(CreateJobRequest request, String accountId) {
    return create(request, accountId, RecordFormat.BEDROCK);
  }

  /**
   * As {@link #create(CreateJobRequest, String)}, for a job whose lines are in {@code format} (an
   * OpenAI batch's).
   */
  public CreateResult create(CreateJobRequest request, String accountId, RecordFormat format) {
    Instant now = clock.instant();
    String jobId = arns.newJobId();
    int timeoutHours =
        request.timeoutDurationInHours() != null
            ? request.timeoutDurationInHours()
            : settings.defaultTimeoutHours();
    JobRecord job =
        JobRecord.builder()
            .jobId(jobId)
            .jobArn(arns.arn(accountId, jobId))
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
            // The values in force, not the request's nulls: Get and List show them, and boto3 code
            // reads them.
            .timeoutDurationInHours(timeoutHours)
            .jobExpirationTime(now.plus(Duration.ofHours(timeoutHours)))
            .modelInvocationType(
                request.modelInvocationType() != null
                    ? request.modelInvocationType()
                    : InvocationType.INVOKE_MODEL.wireName())
            .recordFormat(format)
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
      reconciler.wake();
    }
    return result;
  }

  /**
   * Stops a job that is not yet terminal; a terminal or already stopping job is a
   * ValidationException.
   */
  public void stop(String jobId) {
    JobRecord job = store.find(jobId).orElseThrow(() -> notFound(jobId));
    if (!STOPPABLE.contains(job.status())) {
      throw notStoppable(job);
    }
    Optional<JobRecord> moved =
        store.transition(jobId, STOPPABLE, JobStatus.STOPPING, StatusChange.at(clock.instant()));
    if (moved.isEmpty()) {
      throw notStoppable(store.find(jobId).orElseThrow(() -> notFound(jobId)));
    }
    reconciler.wake();
  }

  static ApiException notFound(String jobId) {
    return ApiException.notFound("Model invocation job " + jobId + " does not exist");
  }

  private static ApiException notStoppable(JobRecord job) {
    return ApiException.validation(
        "Job "
            + job.jobArn()
            + " is "
            + job.status().wireName()
            + "; only a job that is Submitted, Validating, Scheduled or InProgress can be stopped");
  }
}
