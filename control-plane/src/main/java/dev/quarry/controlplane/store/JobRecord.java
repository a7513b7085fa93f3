package dev.quarry.controlplane.store;

import dev.quarry.job.spec.RecordFormat;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model invocation job as the status store keeps it: what Create was sent, where the job is,
 * and its counts.
 *
 * <p>Times are kept to the millisecond, as the store keeps them, so a record equals itself read
 * back.
 *
 * @param jobId the 12-character job id, {@code [a-z0-9]}
 * @param jobArn {@code arn:aws:bedrock:<region>:<account>:model-invocation-job/<jobId>}
 * @param jobName the name given at Create
 * @param modelId the model id, inference profile or ARN given at Create
 * @param roleArn the service role given at Create
 * @param clientRequestToken the idempotency token of Create, or {@code null}
 * @param status the current status
 * @param message why the job failed or stopped, or {@code null}
 * @param submitTime when the job was created
 * @param lastModifiedTime when the job last changed
 * @param endTime when the job reached a terminal status, or {@code null}
 * @param inputConfigJson the request's {@code inputDataConfig} JSON object, verbatim
 * @param outputConfigJson the request's {@code outputDataConfig} JSON object, verbatim
 * @param vpcConfigJson the request's {@code vpcConfig} JSON object, verbatim, or {@code null}
 * @param timeoutDurationInHours the timeout asked for at Create, or {@code null}
 * @param jobExpirationTime when the job times or timed out, or {@code null}
 * @param modelInvocationType {@code InvokeModel} or {@code Converse} as given at Create, or {@code
 *     null}
 * @param totalRecordCount records in the input, counted at validation (or the manifest's total), or
 *     {@code null} if unknown
 * @param counts what the job has done so far, or {@code null} before it reports anything
 * @param flinkJobId the launcher's handle on the running Flink job, or {@code null}
 * @param stopRequested whether a stop (by the user, or by the timeout) was asked while the job was
 *     running
 * @param version bumped by every change the control plane makes; the key of conditional updates
 * @param recordFormat how the job reads its lines and writes its output: Bedrock's records, or an
 *     OpenAI batch's ({@code null} reads as Bedrock)
 */
public record JobRecord(
    String jobId,
    String jobArn,
    String jobName,
    String modelId,
    String roleArn,
    String clientRequestToken,
    JobStatus status,
    String message,
    Instant submitTime,
    Instant lastModifiedTime,
    Instant endTime,
    String inputConfigJson,
    String outputConfigJson,
    String vpcConfigJson,
    Integer timeoutDurationInHours,
    Instant jobExpirationTime,
    String modelInvocationType,
    Long totalRecordCount,
    JobCounts counts,
    String flinkJobId,
    boolean stopRequested,
    long version,
    RecordFormat recordFormat) {
  private static final Pattern JOB_ID = Pattern.compile("[a-z0-9]{12}");

  public JobRecord {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(jobArn, "jobArn");
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(status, "status");
    submitTime = millis(Objects.requireNonNull(submitTime, "submitTime"));
    lastModifiedTime = millis(Objects.requireNonNull(lastModifiedTime, "lastModifiedTime"));
    endTime = endTime == null ? null : millis(endTime);
    Objects.requireNonNull(inputConfigJson, "inputConfigJson");
    Objects.requireNonNull(outputConfigJson, "outputConfigJson");
    jobExpirationTime = jobExpirationTime == null ? null : millis(jobExpirationTime);
    recordFormat = recordFormat == null ? RecordFormat.BEDROCK : recordFormat;
    if (!JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException("jobId must be 12 characters of [a-z0-9], was " + jobId);
    }
    accountIdOf(jobArn);
    if (!jobArn.endsWith("/" + jobId)) {
      throw new IllegalArgumentException("jobArn must end with /" + jobId + ", was " + jobArn);
    }
  }

  private static Instant millis(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  /** The account field of an ARN ({@code arn:partition:service:region:account:resource}). */
  static String accountIdOf(String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length < 6 || !"arn".equals(parts[0])) {
      throw new IllegalArgumentException("not an ARN: " + arn);
    }
    return parts[4];
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The account that owns the job, from its ARN; client request tokens are unique per account. */
  public String accountId() {
    return accountIdOf(jobArn);
  }

  /**
   * Builds a {@link JobRecord}; {@code stopRequested} defaults to false and {@code version} to 0.
   */
  public static final class Builder {
    private String jobId;
    private String jobArn;
    private String jobName;
    private String modelId;
    private String roleArn;
    private String clientRequestToken;
    private JobStatus status;
    private String message;
    private Instant submitTime;
    private Instant lastModifiedTime;
    private Instant endTime;
    private String inputConfigJson;
    private String outputConfigJson;
    private String vpcConfigJson;
    private Integer timeoutDurationInHours;
    private Instant jobExpirationTime;
    private String modelInvocationType;
    private Long totalRecordCount;
    private JobCounts counts;
    private String flinkJobId;
    private boolean stopRequested;
    private long version;
    private RecordFormat recordFormat;

    private Builder() {}

    private Builder(JobRecord r) {
      this.jobId = r.jobId;
      this.jobArn = r.jobArn;
      this.jobName = r.jobName;
      this.modelId = r.modelId;
      this.roleArn = r.roleArn;
      this.clientRequestToken = r.clientRequestToken;
      this.status = r.status;
      this.message = r.message;
      this.submitTime = r.submitTime;
      this.lastModifiedTime = r.lastModifiedTime;
      this.endTime = r.endTime;
      this.inputConfigJson = r.inputConfigJson;
      this.outputConfigJson = r.outputConfigJson;
      this.vpcConfigJson = r.vpcConfigJson;
      this.timeoutDurationInHours = r.timeoutDurationInHours;
      this.jobExpirationTime = r.jobExpirationTime;
      this.modelInvocationType = r.modelInvocationType;
      this.totalRecordCount = r.totalRecordCount;
      this.counts = r.counts;
      this.flinkJobId = r.flinkJobId;
      this.stopRequested = r.stopRequested;
      this.version = r.version;
      this.recordFormat = r.recordFormat;
    }

    public Builder jobId(String jobId) {
      this.jobId = jobId;
      return this;
    }

    public Builder jobArn(String jobArn) {
      this.jobArn = jobArn;
      return this;
    }

    public Builder jobName(String jobName) {
      this.jobName = jobName;
      return this;
    }

    public Builder modelId(String modelId) {
      this.modelId = modelId;
      return this;
    }

    public Builder roleArn(String roleArn) {
      this.roleArn = roleArn;
      return this;
    }

    public Builder clientRequestToken(String clientRequestToken) {
      this.clientRequestToken = clientRequestToken;
      return this;
    }

    public Builder status(JobStatus status) {
      this.status = status;
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder submitTime(Instant submitTime) {
      this.submitTime = submitTime;
      return this;
    }

    public Builder lastModifiedTime(Instant lastModifiedTime) {
      this.lastModifiedTime = lastModifiedTime;
      return this;
    }

    public Builder endTime(Instant endTime) {
      this.endTime = endTime;
      return this;
    }

    public Builder inputConfigJson(String inputConfigJson) {
      this.inputConfigJson = inputConfigJson;
      return this;
    }

    public Builder outputConfigJson(String outputConfigJson) {
      this.outputConfigJson = outputConfigJson;
      return this;
    }

    public Builder vpcConfigJson(String vpcConfigJson) {
      this.vpcConfigJson = vpcConfigJson;
      return this;
    }

    public Builder timeoutDurationInHours(Integer timeoutDurationInHours) {
      this.timeoutDurationInHours = timeoutDurationInHours;
      return this;
    }

    public Builder jobExpirationTime(Instant jobExpirationTime) {
      this.jobExpirationTime = jobExpirationTime;
      return this;
    }

    public Builder modelInvocationType(String modelInvocationType) {
      this.modelInvocationType = modelInvocationType;
      return this;
    }

    public Builder totalRecordCount(Long totalRecordCount) {
      this.totalRecordCount = totalRecordCount;
      return this;
    }

    public Builder counts(JobCounts counts) {
      this.counts = counts;
      return this;
    }

    public Builder flinkJobId(String flinkJobId) {
      this.flinkJobId = flinkJobId;
      return this;
    }

    public Builder stopRequested(boolean stopRequested) {
      this.stopRequested = stopRequested;
      return this;
    }

    public Builder version(long version) {
      this.version = version;
      return this;
    }

    public Builder recordFormat(RecordFormat recordFormat) {
      this.recordFormat = recordFormat;
      return this;
    }

    public JobRecord build() {
      return new JobRecord(
          jobId,
          jobArn,
          jobName,
          modelId,
          roleArn,
          clientRequestToken,
          status,
          message,
          submitTime,
          lastModifiedTime,
          endTime,
          inputConfigJson,
          outputConfigJson,
          vpcConfigJson,
          timeoutDurationInHours,
          jobExpirationTime,
          modelInvocationType,
          totalRecordCount,
          counts,
          flinkJobId,
          stopRequested,
          version,
          recordFormat);
    }
  }
}
