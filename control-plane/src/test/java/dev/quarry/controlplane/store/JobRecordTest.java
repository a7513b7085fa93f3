package dev.quarry.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobRecordTest {
  private static final Instant SUBMITTED = Instant.parse("2026-01-02T03:04:05.123456789Z");

  private static JobRecord.Builder job() {
    return JobRecord.builder()
        .jobId("abcdef012345")
        .jobArn("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdef012345")
        .jobName("j")
        .modelId("m")
        .roleArn("arn:aws:iam::123456789012:role/R")
        .status(JobStatus.SUBMITTED)
        .submitTime(SUBMITTED)
        .lastModifiedTime(SUBMITTED)
        .inputConfigJson("{}")
        .outputConfigJson("{}");
  }

  @Test
  void timesAreKeptToTheMillisecondSoARecordEqualsItselfReadBack() {
    JobRecord record =
        job().endTime(SUBMITTED.plusNanos(999_999)).jobExpirationTime(SUBMITTED).build();
    Instant millis = Instant.parse("2026-01-02T03:04:05.123Z");
    assertThat(record.submitTime()).isEqualTo(millis);
    assertThat(record.lastModifiedTime()).isEqualTo(millis);
    assertThat(record.endTime()).isEqualTo(Instant.parse("2026-01-02T03:04:05.124Z"));
    assertThat(record.jobExpirationTime()).isEqualTo(millis);
    assertThat(record.toBuilder().build()).isEqualTo(record).hasSameHashCodeAs(record);
    assertThat(record.accountId()).isEqualTo("123456789012");
  }

  @Test
  void countsTravelAsOneValue() {
    JobCounts counts = new JobCounts(10, 8, 2, 800, 1600);
    JobRecord record = job().totalRecordCount(10L).counts(counts).build();
    assertThat(record.counts()).isEqualTo(counts);
    assertThat(record.toBuilder().counts(null).build().counts()).isNull();
    assertThat(record.toBuilder().counts(null).build()).isNotEqualTo(record);
  }

  @Test
  void invalidRecordsAreRejected() {
    assertThatThrownBy(
            () -> job().jobId("ABC").jobArn("arn:aws:bedrock:r:1:model-invocation-job/ABC").build())
        .hasMessageContaining("jobId");
    assertThatThrownBy(
            () ->
                job()
                    .jobArn("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/other")
                    .build())
        .hasMessageContaining("must end with /abcdef012345");
    assertThatThrownBy(() -> job().jobArn("model-invocation-job/abcdef012345").build())
        .hasMessageContaining("not an ARN");
    assertThatThrownBy(() -> job().status(null).build()).hasMessageContaining("status");
    assertThatThrownBy(() -> job().submitTime(null).build()).hasMessageContaining("submitTime");
  }

  @Test
  void countsAreNeverNegative() {
    assertThatThrownBy(() -> new JobCounts(-1, 0, 0, 0, 0)).hasMessageContaining("processed");
    assertThatThrownBy(() -> new JobCounts(0, 0, 0, 0, -5))
        .hasMessageContaining("outputTokens must not be negative, was -5");
  }
}
