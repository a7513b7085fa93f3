package dev.quarry.controlplane.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model invocation job as the status store keeps it: what Create was sent, where the job is, and
 * its counts.
 *
 * <p>Times are kept to the millisecond, as the store keeps them, so a record equals itself read back.
 */
public final class JobRecord {
  private static final Pattern JOB_ID = Pattern.compile("[a-z0-9]{12}");

  private final String jobId;
  private final String jobArn;
  private final String jobName;
  private final String modelId;
  private final String roleArn;
  private final String clientRequestToken;
  private final JobStatus status;
  private final String message;
  private final Instant submitTime;
  private final Instant lastModifiedTime;
  private final Instant endTime;
  private final String inputConfigJson;
  private final String outputConfigJson;
  private final String vpcConfigJson;
  private final Integer timeoutDurationInHours;
  private final Instant jobExpirationTime;
  private final String modelInvocationType;
  private final Long totalRecordCount;
  private final Long processedRecordCount;
  private final Long successRecordCount;
  private final Long errorRecordCount;
  private final Long inputTokenCount;
  private final Long outputTokenCount;
  private final String flinkJobId;
  private final boolean stopRequested;
  private final long version;

  private JobRecord(Builder b) {
    this.jobId = Objects.requireNonNull(b.jobId, "jobId");
    this.jobArn = Objects.requireNonNull(b.jobArn, "jobArn");
    this.jobName = Objects.requireNonNull(b.jobName, "jobName");
    this.modelId = Objects.requireNonNull(b.modelId, "modelId");
    this.roleArn = Objects.requireNonNull(b.roleArn, "roleArn");
    this.clientRequestToken = b.clientRequestToken;
    this.status = Objects.requireNonNull(b.status, "status");
    this.message = b.message;
    this.submitTime = millis(Objects.requireNonNull(b.submitTime, "submitTime"));
    this.lastModifiedTime = millis(Objects.requireNonNull(b.lastModifiedTime, "lastModifiedTime"));
    this.endTime = b.endTime == null ? null : millis(b.endTime);
    this.inputConfigJson = Objects.requireNonNull(b.inputConfigJson, "inputConfigJson");
    this.outputConfigJson = Objects.requireNonNull(b.outputConfigJson, "outputConfigJson");
    this.vpcConfigJson = b.vpcConfigJson;
    this.timeoutDurationInHours = b.timeoutDurationInHours;
    this.jobExpirationTime = b.jobExpirationTime == null ? null : millis(b.jobExpirationTime);
    this.modelInvocationType = b.modelInvocationType;
    this.totalRecordCount = b.totalRecordCount;
    this.processedRecordCount = b.processedRecordCount;
    this.successRecordCount = b.successRecordCount;
    this.errorRecordCount = b.errorRecordCount;
    this.inputTokenCount = b.inputTokenCount;
    this.outputTokenCount = b.outputTokenCount;
    this.flinkJobId = b.flinkJobId;
    this.stopRequested = b.stopRequested;
    this.version = b.version;
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

  /** The 12-character job id, {@code [a-z0-9]}. */
  public String jobId() {
    return jobId;
  }

  /** The job's ARN, {@code arn:aws:bedrock:<region>:<account>:model-invocation-job/<jobId>}. */
  public String jobArn() {
    return jobArn;
  }

  /** The name given at Create. */
  public String jobName() {
    return jobName;
  }

  /** The model id, inference profile or ARN given at Create. */
  public String modelId() {
    return modelId;
  }

  /** The service role given at Create. */
  public String roleArn() {
    return roleArn;
  }

  /** The idempotency token of Create, or {@code null}. */
  public String clientRequestToken() {
    return clientRequestToken;
  }

  /** The current status. */
  public JobStatus status() {
    return status;
  }

  /** Why the job failed or stopped, or {@code null}. */
  public String message() {
    return message;
  }

  /** When the job was created. */
  public Instant submitTime() {
    return submitTime;
  }

  /** When the job last changed. */
  public Instant lastModifiedTime() {
    return lastModifiedTime;
  }

  /** When the job reached a terminal status, or {@code null}. */
  public Instant endTime() {
    return endTime;
  }

  /** The request's {@code inputDataConfig} JSON object, verbatim. */
  public String inputConfigJson() {
    return inputConfigJson;
  }

  /** The request's {@code outputDataConfig} JSON object, verbatim. */
  public String outputConfigJson() {
    return outputConfigJson;
  }

  /** The request's {@code vpcConfig} JSON object, verbatim, or {@code null}. */
  public String vpcConfigJson() {
    return vpcConfigJson;
  }

  /** The timeout asked for at Create, or {@code null}. */
  public Integer timeoutDurationInHours() {
    return timeoutDurationInHours;
  }

  /** When the job times or timed out, or {@code null}. */
  public Instant jobExpirationTime() {
    return jobExpirationTime;
  }

  /** {@code InvokeModel} or {@code Converse} as given at Create, or {@code null}. */
  public String modelInvocationType() {
    return modelInvocationType;
  }

  /** Records in the input, counted at validation (or the manifest's total), or {@code null} if unknown. */
  public Long totalRecordCount() {
    return totalRecordCount;
  }

  /** Records with an output line so far, or {@code null} if unknown. */
  public Long processedRecordCount() {
    return processedRecordCount;
  }

  /** Records the model answered so far, or {@code null} if unknown. */
  public Long successRecordCount() {
    return successRecordCount;
  }

  /** Records with an error line so far, or {@code null} if unknown. */
  public Long errorRecordCount() {
    return errorRecordCount;
  }

  /** Input tokens of the successful records so far, or {@code null} if unknown. */
  public Long inputTokenCount() {
    return inputTokenCount;
  }

  /** Output tokens of the successful records so far, or {@code null} if unknown. */
  public Long outputTokenCount() {
    return outputTokenCount;
  }

  /** The launcher's handle on the running Flink job, or {@code null}. */
  public String flinkJobId() {
    return flinkJobId;
  }

  /** Whether a stop (by the user, or by the timeout) was asked while the job was running. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /** Bumped by every change the control plane makes; the key of conditional updates. */
  public long version() {
    return version;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof JobRecord)) {
      return false;
    }
    JobRecord other = (JobRecord) o;
    return Objects.equals(jobId, other.jobId)
        && Objects.equals(jobArn, other.jobArn)
        && Objects.equals(jobName, other.jobName)
        && Objects.equals(modelId, other.modelId)
        && Objects.equals(roleArn, other.roleArn)
        && Objects.equals(clientRequestToken, other.clientRequestToken)
        && Objects.equals(status, other.status)
        && Objects.equals(message, other.message)
        && Objects.equals(submitTime, other.submitTime)
        && Objects.equals(lastModifiedTime, other.lastModifiedTime)
        && Objects.equals(endTime, other.endTime)
        && Objects.equals(inputConfigJson, other.inputConfigJson)
        && Objects.equals(outputConfigJson, other.outputConfigJson)
        && Objects.equals(vpcConfigJson, other.vpcConfigJson)
        && Objects.equals(timeoutDurationInHours, other.timeoutDurationInHours)
        && Objects.equals(jobExpirationTime, other.jobExpirationTime)
        && Objects.equals(modelInvocationType, other.modelInvocationType)
        && Objects.equals(totalRecordCount, other.totalRecordCount)
        && Objects.equals(processedRecordCount, other.processedRecordCount)
        && Objects.equals(successRecordCount, other.successRecordCount)
        && Objects.equals(errorRecordCount, other.errorRecordCount)
        && Objects.equals(inputTokenCount, other.inputTokenCount)
        && Objects.equals(outputTokenCount, other.outputTokenCount)
        && Objects.equals(flinkJobId, other.flinkJobId)
        && stopRequested == other.stopRequested
        && version == other.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
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
        processedRecordCount,
        successRecordCount,
        errorRecordCount,
        inputTokenCount,
        outputTokenCount,
        flinkJobId,
        stopRequested,
        version);
  }

  @Override
  public String toString() {
    return "JobRecord["
        + "jobId=" + jobId
        + ", jobArn=" + jobArn
        + ", jobName=" + jobName
        + ", modelId=" + modelId
        + ", roleArn=" + roleArn
        + ", clientRequestToken=" + clientRequestToken
        + ", status=" + status
        + ", message=" + message
        + ", submitTime=" + submitTime
        + ", lastModifiedTime=" + lastModifiedTime
        + ", endTime=" + endTime
        + ", inputConfigJson=" + inputConfigJson
        + ", outputConfigJson=" + outputConfigJson
        + ", vpcConfigJson=" + vpcConfigJson
        + ", timeoutDurationInHours=" + timeoutDurationInHours
        + ", jobExpirationTime=" + jobExpirationTime
        + ", modelInvocationType=" + modelInvocationType
        + ", totalRecordCount=" + totalRecordCount
        + ", processedRecordCount=" + processedRecordCount
        + ", successRecordCount=" + successRecordCount
        + ", errorRecordCount=" + errorRecordCount
        + ", inputTokenCount=" + inputTokenCount
        + ", outputTokenCount=" + outputTokenCount
        + ", flinkJobId=" + flinkJobId
        + ", stopRequested=" + stopRequested
        + ", version=" + version
        + "]";
  }

  /** Builds a {@link JobRecord}; {@code stopRequested} defaults to false and {@code version} to 0. */
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
    private Long processedRecordCount;
    private Long successRecordCount;
    private Long errorRecordCount;
    private Long inputTokenCount;
    private Long outputTokenCount;
    private String flinkJobId;
    private boolean stopRequested;
    private long version;

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
      this.processedRecordCount = r.processedRecordCount;
      this.successRecordCount = r.successRecordCount;
      this.errorRecordCount = r.errorRecordCount;
      this.inputTokenCount = r.inputTokenCount;
      this.outputTokenCount = r.outputTokenCount;
      this.flinkJobId = r.flinkJobId;
      this.stopRequested = r.stopRequested;
      this.version = r.version;
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

    public Builder processedRecordCount(Long processedRecordCount) {
      this.processedRecordCount = processedRecordCount;
      return this;
    }

    public Builder successRecordCount(Long successRecordCount) {
      this.successRecordCount = successRecordCount;
      return this;
    }

    public Builder errorRecordCount(Long errorRecordCount) {
      this.errorRecordCount = errorRecordCount;
      return this;
    }

    public Builder inputTokenCount(Long inputTokenCount) {
      this.inputTokenCount = inputTokenCount;
      return this;
    }

    public Builder outputTokenCount(Long outputTokenCount) {
      this.outputTokenCount = outputTokenCount;
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

    public JobRecord build() {
      return new JobRecord(this);
    }
  }
}
