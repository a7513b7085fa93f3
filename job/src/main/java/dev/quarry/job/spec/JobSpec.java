package dev.quarry.job.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything one batch inference job needs, built by the control plane or parsed from {@code
 * main}'s arguments.
 *
 * <p>The job knows nothing of the HTTP API: this value is its whole world.
 *
 * @param jobId the 12-character job id; output goes to {@code <outputUri>/<jobId>/}
 * @param inputUri one {@code .jsonl} object or a prefix ({@code s3://…} or {@code file://…})
 * @param outputUri the output prefix given by the user
 * @param modelId the Bedrock model id, inference profile or ARN
 * @param invocationType InvokeModel or Converse
 * @param bedrock where and as whom to call Bedrock Runtime
 * @param limits rate limits, concurrency, retries and timeouts
 * @param maxRecordBytes longest input line accepted; longer lines become error lines
 * @param parallelism parallelism of the job (sources, model calls, writers)
 * @param checkpointIntervalMillis how often progress is made durable; bounds re-invocations after a
 *     failure
 * @param progressIntervalMillis how often progress is reported to the status store
 * @param statusStore where to report progress, or {@code null} to only log it
 * @param expectedRecordCount records counted at validation, or -1 if unknown; used for the manifest
 *     total
 * @param maxRestarts task failures the job recovers from (restoring its last checkpoint) before it
 *     fails
 * @param route where the model calls go: Bedrock, or an OpenAI-compatible server ({@code null}
 *     reads as Bedrock)
 * @param recordFormat how input lines are read and output lines written ({@code null} reads as
 *     Bedrock's records)
 */
public record JobSpec(
    String jobId,
    String inputUri,
    String outputUri,
    String modelId,
    InvocationType invocationType,
    BedrockEndpoint bedrock,
    InvokeLimits limits,
    long maxRecordBytes,
    int parallelism,
    long checkpointIntervalMillis,
    long progressIntervalMillis,
    StatusStoreAddress statusStore,
    long expectedRecordCount,
    int maxRestarts,
    ModelRoute route,
    RecordFormat recordFormat)
    implements Serializable {

  private static final Pattern JOB_ID = Pattern.compile("[a-z0-9]{12}");
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public JobSpec {
    Objects.requireNonNull(jobId, "jobId");
    if (!JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException("jobId must be 12 characters of [a-z0-9], was " + jobId);
    }
    requireUri("inputUri", inputUri);
    requireUri("outputUri", outputUri);
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(invocationType, "invocationType");
    Objects.requireNonNull(bedrock, "bedrock");
    Objects.requireNonNull(limits, "limits");
    if (maxRecordBytes < 16) {
      throw new IllegalArgumentException(
          "maxRecordBytes must be at least 16, was " + maxRecordBytes);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    if (checkpointIntervalMillis < 10) {
      throw new IllegalArgumentException(
          "checkpointIntervalMillis must be at least 10, was " + checkpointIntervalMillis);
    }
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must be at least 0, was " + maxRestarts);
    }
    if (progressIntervalMillis < 10) {
      throw new IllegalArgumentException(
          "progressIntervalMillis must be at least 10, was " + progressIntervalMillis);
    }
    if (route == null) {
      route = ModelRoute.bedrock(); // a spec written before routes existed
    }
    if (recordFormat == null) {
      recordFormat = RecordFormat.BEDROCK; // a spec written before record formats existed
    }
  }

  private static void requireUri(String name, String value) {
    Objects.requireNonNull(value, name);
    if (!(value.startsWith("s3://") || value.startsWith("s3a://") || value.startsWith("file:/"))) {
      throw new IllegalArgumentException(
          name + " must start with s3://, s3a:// or file:/, was " + value);
    }
  }

  /** The folder this job writes into: {@code <outputUri>/<jobId>/}, as Bedrock does. */
  @JsonIgnore
  public String jobOutputUri() {
    return (outputUri.endsWith("/") ? outputUri : outputUri + "/") + jobId + "/";
  }

  /** The JSON form that {@code QuarryJob}'s {@code --spec} argument takes. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JobSpec is not serializable to JSON", e);
    }
  }

  /** Parses the JSON form; unknown members are ignored so older jobs read newer specs. */
  public static JobSpec fromJson(String json) {
    try {
      return JSON.readValue(json, JobSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a valid job spec: " + e.getOriginalMessage(), e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .jobId(jobId)
        .inputUri(inputUri)
        .outputUri(outputUri)
        .modelId(modelId)
        .invocationType(invocationType)
        .bedrock(bedrock)
        .limits(limits)
        .maxRecordBytes(maxRecordBytes)
        .parallelism(parallelism)
        .checkpointIntervalMillis(checkpointIntervalMillis)
        .progressIntervalMillis(progressIntervalMillis)
        .statusStore(statusStore)
        .expectedRecordCount(expectedRecordCount)
        .maxRestarts(maxRestarts)
        .route(route)
        .recordFormat(recordFormat);
  }

  /** Builder with the documented defaults (see {@code conf/job.properties}). */
  public static final class Builder {
    private String jobId;
    private String inputUri;
    private String outputUri;
    private String modelId;
    private InvocationType invocationType = InvocationType.INVOKE_MODEL;
    private BedrockEndpoint bedrock = BedrockEndpoint.defaultChain("us-east-1");
    private InvokeLimits limits = InvokeLimits.defaults();
    private long maxRecordBytes = 10L * 1024 * 1024;
    private int parallelism = 2;
    private long checkpointIntervalMillis = 10_000;
    private long progressIntervalMillis = 2_000;
    private StatusStoreAddress statusStore;
    private long expectedRecordCount = -1;
    private int maxRestarts = 3;
    private ModelRoute route = ModelRoute.bedrock();
    private RecordFormat recordFormat = RecordFormat.BEDROCK;

    private Builder() {}

    public Builder jobId(String v) {
      jobId = v;
      return this;
    }

    public Builder inputUri(String v) {
      inputUri = v;
      return this;
    }

    public Builder outputUri(String v) {
      outputUri = v;
      return this;
    }

    public Builder modelId(String v) {
      modelId = v;
      return this;
    }

    public Builder invocationType(InvocationType v) {
      invocationType = v;
      return this;
    }

    public Builder bedrock(BedrockEndpoint v) {
      bedrock = v;
      return this;
    }

    public Builder limits(InvokeLimits v) {
      limits = v;
      return this;
    }

    public Builder maxRecordBytes(long v) {
      maxRecordBytes = v;
      return this;
    }

    public Builder parallelism(int v) {
      parallelism = v;
      return this;
    }

    public Builder checkpointIntervalMillis(long v) {
      checkpointIntervalMillis = v;
      return this;
    }

    public Builder progressIntervalMillis(long v) {
      progressIntervalMillis = v;
      return this;
    }

    public Builder statusStore(StatusStoreAddress v) {
      statusStore = v;
      return this;
    }

    public Builder expectedRecordCount(long v) {
      expectedRecordCount = v;
      return this;
    }

    public Builder maxRestarts(int v) {
      maxRestarts = v;
      return this;
    }

    public Builder route(ModelRoute v) {
      route = v;
      return this;
    }

    public Builder recordFormat(RecordFormat v) {
      recordFormat = v;
      return this;
    }

    public JobSpec build() {
      return new JobSpec(
          jobId,
          inputUri,
          outputUri,
          modelId,
          invocationType,
          bedrock,
          limits,
          maxRecordBytes,
          parallelism,
          checkpointIntervalMillis,
          progressIntervalMillis,
          statusStore,
          expectedRecordCount,
          maxRestarts,
          route,
          recordFormat);
    }
  }
}
