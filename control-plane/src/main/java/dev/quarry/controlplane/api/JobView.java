package dev.quarry.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.store.JobCounts;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.job.spec.InvocationType;
import java.time.Duration;

/**
 * A job as Bedrock shows it: the {@code GetModelInvocationJob} response and the {@code
 * ModelInvocationJobSummary} of a listing (the same members). Absent values are left out, except
 * {@code timeoutDurationInHours} and {@code modelInvocationType}: always the values in force.
 */
final class JobView {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JobView() {}

  static ObjectNode of(JobRecord job) {
    ObjectNode o = JSON.createObjectNode();
    o.put("jobArn", job.jobArn());
    o.put("jobName", job.jobName());
    o.put("modelId", job.modelId());
    putIfPresent(o, "clientRequestToken", job.clientRequestToken());
    o.put("roleArn", job.roleArn());
    o.put("status", job.status().wireName());
    putIfPresent(o, "message", job.message());
    o.put("submitTime", Timestamps.format(job.submitTime()));
    putIfPresent(o, "lastModifiedTime", Timestamps.format(job.lastModifiedTime()));
    putIfPresent(o, "endTime", Timestamps.format(job.endTime()));
    o.set("inputDataConfig", parse(job.inputConfigJson()));
    o.set("outputDataConfig", parse(job.outputConfigJson()));
    if (job.vpcConfigJson() != null) {
      o.set("vpcConfig", parse(job.vpcConfigJson()));
    }
    o.put("timeoutDurationInHours", timeoutInForce(job));
    putIfPresent(o, "jobExpirationTime", Timestamps.format(job.jobExpirationTime()));
    o.put(
        "modelInvocationType",
        job.modelInvocationType() != null
            ? job.modelInvocationType()
            : InvocationType.INVOKE_MODEL.wireName());
    putIfPresent(o, "totalRecordCount", job.totalRecordCount());
    JobCounts counts = job.counts();
    if (counts != null) {
      o.put("processedRecordCount", counts.processed());
      o.put("successRecordCount", counts.succeeded());
      o.put("errorRecordCount", counts.failed());
    }
    return o;
  }

  /**
   * Jobs created before Quarry stored the value in force kept the request's null; their deadline
   * still says what was in force.
   */
  private static long timeoutInForce(JobRecord job) {
    if (job.timeoutDurationInHours() != null) {
      return job.timeoutDurationInHours();
    }
    return Duration.between(job.submitTime(), job.jobExpirationTime()).toHours();
  }

  private static void putIfPresent(ObjectNode o, String name, String value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  private static void putIfPresent(ObjectNode o, String name, Long value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored JSON is corrupt", e);
    }
  }
}
