package dev.quarry.controlplane.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.store.JobRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Amazon Bedrock's EventBridge event "Batch Inference Job State Change", field for field as AWS
 * documents it (Bedrock user guide, "How EventBridge for Amazon Bedrock works"): the EventBridge
 * envelope around a {@code detail} of {@code version, accountId, batchJobName, batchJobArn,
 * batchModelId, status, failureMessage, creationTime}.
 *
 * @param id the event's id (a UUID), the same on every delivery attempt and to every destination
 * @param job the job as it is right after the change
 */
public record JobStateChangeEvent(String id, JobRecord job) {
  public static final String DETAIL_TYPE = "Batch Inference Job State Change";
  public static final String SOURCE = "aws.bedrock";

  /**
   * {@code creationTime} as AWS's sample shows it ("Aug 28, 2024, 10:47:53 PM"), in UTC: the
   * pattern spelled out, as the JDK's localized medium style puts a narrow no-break space before
   * the AM/PM marker.
   */
  static final DateTimeFormatter CREATION_TIME =
      DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

  private static final ObjectMapper JSON = new ObjectMapper();

  public JobStateChangeEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(job, "job");
  }

  /** A new event, with a random id, about {@code job}'s current status. */
  public static JobStateChangeEvent of(JobRecord job) {
    return new JobStateChangeEvent(UUID.randomUUID().toString(), job);
  }

  /** The region of the job's ARN ({@code arn:aws:bedrock:<region>:<account>:…}). */
  String region() {
    return job.jobArn().split(":", 6)[3];
  }

  /**
   * The event's time: when the status changed, in whole seconds, as EventBridge writes {@code
   * time}.
   */
  Instant time() {
    return job.lastModifiedTime().truncatedTo(ChronoUnit.SECONDS);
  }

  /** The event as EventBridge would deliver it, keys in AWS's order. */
  public ObjectNode toJson() {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", id);
    event.put("detail-type", DETAIL_TYPE);
    event.put("source", SOURCE);
    event.put("account", job.accountId());
    event.put("time", DateTimeFormatter.ISO_INSTANT.format(time()));
    event.put("region", region());
    event.putArray("resources").add(job.jobArn());
    ObjectNode detail = event.putObject("detail");
    detail.put("version", "0.0");
    detail.put("accountId", job.accountId());
    detail.put("batchJobName", job.jobName());
    detail.put("batchJobArn", job.jobArn());
    // The model as the job was created with it, as Get returns modelId.
    detail.put("batchModelId", job.modelId());
    detail.put("status", job.status().wireName());
    // AWS sends an empty string, not null, when there is no failure.
    detail.put("failureMessage", job.message() == null ? "" : job.message());
    detail.put("creationTime", CREATION_TIME.format(job.submitTime()));
    return event;
  }

  /** The compact JSON text that is sent and signed. */
  public String body() {
    try {
      return JSON.writeValueAsString(toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an event as JSON", e);
    }
  }
}
