package dev.quarry.controlplane.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.job.spec.InvocationType;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.spec.StatusStoreAddress;
import java.io.UncheckedIOException;

/**
 * Turns a stored job into the typed spec its Flink job runs with: the API request plus the
 * configuration.
 */
public final class JobSpecFactory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ControlPlaneConfig config;
  private final StatusStoreAddress statusStore;

  public JobSpecFactory(ControlPlaneConfig config, StatusStoreAddress statusStore) {
    this.config = config;
    this.statusStore = statusStore;
  }

  public JobSpec specFor(JobRecord job) {
    ControlPlaneConfig.JobDefaults defaults = config.job();
    return JobSpec.builder()
        .jobId(job.jobId())
        .inputUri(s3Uri(job.inputConfigJson(), "s3InputDataConfig"))
        .outputUri(s3Uri(job.outputConfigJson(), "s3OutputDataConfig"))
        .modelId(job.modelId())
        .invocationType(InvocationType.fromWireName(job.modelInvocationType()))
        .bedrock(config.bedrock())
        .limits(config.limitsFor(job.modelId()))
        .route(config.routeFor(job.modelId()))
        .recordFormat(job.recordFormat())
        .maxRecordBytes(defaults.maxRecordBytes())
        .parallelism(defaults.parallelism())
        .checkpointIntervalMillis(defaults.checkpointIntervalMillis())
        .progressIntervalMillis(defaults.progressIntervalMillis())
        .maxRestarts(defaults.maxRestarts())
        .statusStore(statusStore)
        .expectedRecordCount(job.totalRecordCount() == null ? -1 : job.totalRecordCount())
        .build();
  }

  /** The {@code s3Uri} inside a stored {@code inputDataConfig}/{@code outputDataConfig}. */
  static String s3Uri(String configJson, String member) {
    try {
      JsonNode node = JSON.readTree(configJson);
      return node.path(member).path("s3Uri").asText();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException("Stored data config is not JSON", e);
    }
  }
}
