package dev.quarry.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event has the fields, order and formats of AWS's documented sample of "Batch Inference Job
 * State Change" (Bedrock user guide, "How EventBridge for Amazon Bedrock works").
 */
class JobStateChangeEventTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARN =
      "arn:aws:bedrock:eu-west-3:123456789012:model-invocation-job/abcdefghwxyz";

  private static JobRecord job(JobStatus status, String message) {
    return JobRecord.builder()
        .jobId("abcdefghwxyz")
        .jobArn(ARN)
        .jobName("dummy-batch-job-name")
        .modelId("anthropic.claude-3-sonnet-20240229-v1:0")
        .roleArn("arn:aws:iam::123456789012:role/batch")
        .status(status)
        .message(message)
        .submitTime(Instant.parse("2024-08-28T22:47:53.456Z"))
        .lastModifiedTime(Instant.parse("2024-08-28T22:58:30.999Z"))
        .inputConfigJson("{\"s3InputDataConfig\":{\"s3Uri\":\"s3://in/\"}}")
        .outputConfigJson("{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://out/\"}}")
        .build();
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void aCompletedJobsEventIsAwsSampleFieldForField() throws Exception {
    JobStateChangeEvent event =
        new JobStateChangeEvent(
            "6a7e8feb-b491-4cf7-a9f1-bf3703467718", job(JobStatus.COMPLETED, null));
    JsonNode json = JSON.readTree(event.body());

    assertThat(keys(json))
        .containsExactly(
            "version",
            "id",
            "detail-type",
            "source",
            "account",
            "time",
            "region",
            "resources",
            "detail");
    assertThat(json.path("version").asText()).isEqualTo("0");
    assertThat(json.path("id").asText()).isEqualTo("6a7e8feb-b491-4cf7-a9f1-bf3703467718");
    assertThat(json.path("detail-type").asText()).isEqualTo("Batch Inference Job State Change");
    assertThat(json.path("source").asText()).isEqualTo("aws.bedrock");
    assertThat(json.path("account").asText()).isEqualTo("123456789012");
    assertThat(json.path("time").asText()).isEqualTo("2024-08-28T22:58:30Z");
    assertThat(json.path("region").asText()).isEqualTo("eu-west-3");
    assertThat(json.path("resources")).hasSize(1);
    assertThat(json.path("resources").get(0).asText()).isEqualTo(ARN);

    JsonNode detail = json.path("detail");
    assertThat(keys(detail))
        .containsExactly(
            "version",
            "accountId",
            "batchJobName",
            "batchJobArn",
            "batchModelId",
            "status",
            "failureMessage",
            "creationTime");
    assertThat(detail.path("version").asText()).isEqualTo("0.0");
    assertThat(detail.path("accountId").asText()).isEqualTo("123456789012");
    assertThat(detail.path("batchJobName").asText()).isEqualTo("dummy-batch-job-name");
    assertThat(detail.path("batchJobArn").asText()).isEqualTo(ARN);
    assertThat(detail.path("batchModelId").asText())
        .isEqualTo("anthropic.claude-3-sonnet-20240229-v1:0");
    assertThat(detail.path("status").asText()).isEqualTo("Completed");
    assertThat(detail.path("failureMessage").isTextual()).isTrue();
    assertThat(detail.path("failureMessage").asText()).isEmpty();
    // the sample's "Aug 28, 2024, 10:47:53 PM", with ASCII spaces only
    assertThat(detail.path("creationTime").asText()).isEqualTo("Aug 28, 2024, 10:47:53 PM");
  }

  @Test
  void aFailedJobsEventCarriesItsMessageAndEveryEventItsOwnId() throws Exception {
    JobRecord failed =
        job(JobStatus.FAILED, "The input s3://in/ does not exist \"quoted\"\n").toBuilder()
            .submitTime(Instant.parse("2025-01-05T09:03:04Z"))
            .build();
    JobStateChangeEvent first = JobStateChangeEvent.of(failed);
    JobStateChangeEvent second = JobStateChangeEvent.of(failed);
    JsonNode detail = JSON.readTree(first.body()).path("detail");
    assertThat(detail.path("status").asText()).isEqualTo("Failed");
    assertThat(detail.path("failureMessage").asText())
        .isEqualTo("The input s3://in/ does not exist \"quoted\"\n");
    assertThat(detail.path("creationTime").asText()).isEqualTo("Jan 5, 2025, 9:03:04 AM");
    assertThat(first.id())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(first.body()).doesNotContain("\n");
  }

  @Test
  void theSignatureIsHmacSha256OverTimestampDotBody() {
    // RFC 4231 test case 2 checks the HMAC; the header signs "<timestamp>.<body>" with it.
    byte[] key = "Jefe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(
            java.util.HexFormat.of()
                .formatHex(
                    WebhookSignature.hmacSha256(
                        key,
                        "what do ya want for nothing?"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    byte[] body = "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(WebhookSignature.header(key, 1_700_000_000L, body))
        .isEqualTo(
            "v1="
                + java.util.HexFormat.of()
                    .formatHex(
                        WebhookSignature.hmacSha256(
                            key,
                            "1700000000.{\"a\":1}"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }
}
