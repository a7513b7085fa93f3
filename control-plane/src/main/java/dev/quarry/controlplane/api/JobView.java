package dev.quarry.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.store.JobRecord;

/**
 * A job as Bedrock shows it: the {@code GetModelInvocationJob} response and the
 * {@code ModelInvocationJobSummary} of a listing (the same members). Absent values are left out.
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
    if (job.timeoutDurationInHours() != null) {
      o.put("timeoutDurationInHours", job.timeoutDurationInHours());
    }
    putIfPresent(o, "jobExpirationTime", Timestamps.format(job.jobExpirationTime()));
    putIfPresent(o, "modelInvocationType", job.modelInvocationType());
    putIfPresent(o, "totalRecordCount", job.totalRecordCount());
    putIfPresent(o, "processedRecordCount", job.processedRecordCount());
    putIfPresent(o, "successRecordCount", job.successRecordCount());
    putIfPresent(o, "errorRecordCount", job.errorRecordCount());
    return o;
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
