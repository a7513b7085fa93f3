package dev.quarry.controlplane.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.controlplane.quota.Priority;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueOrderTest {
  private static JobRecord job(String id, int submittedSecond) {
    Instant at = Instant.parse("2026-12-01T10:00:00Z").plusSeconds(submittedSecond);
    return JobRecord.builder()
        .jobId(id)
        .jobArn("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/" + id)
        .jobName(id)
        .modelId("m")
        .roleArn("arn:aws:iam::123456789012:role/r")
        .status(JobStatus.SCHEDULED)
        .submitTime(at)
        .lastModifiedTime(at)
        .inputConfigJson("{}")
        .outputConfigJson("{}")
        .build();
  }

  @Test
  void higherPriorityFirstThenFirstComeFirstServed() {
    List<JobRecord> fifo =
        List.of(
            job("aaaaaaaaaaa1", 1),
            job("aaaaaaaaaaa2", 2),
            job("aaaaaaaaaaa3", 3),
            job("aaaaaaaaaaa4", 4),
            job("aaaaaaaaaaa5", 5));
    Map<String, Priority> tags =
        Map.of(
            "aaaaaaaaaaa2",
            Priority.LOW,
            "aaaaaaaaaaa4",
            Priority.HIGH,
            "aaaaaaaaaaa5",
            Priority.HIGH);
    List<JobRecord> ordered =
        QueueOrder.order(fifo, j -> tags.getOrDefault(j.jobId(), Priority.NORMAL));
    assertThat(ordered)
        .extracting(JobRecord::jobId)
        .containsExactly(
            "aaaaaaaaaaa4", "aaaaaaaaaaa5", "aaaaaaaaaaa1", "aaaaaaaaaaa3", "aaaaaaaaaaa2");
  }

  @Test
  void onlyTheExactTagValuesArePriorities() {
    assertThat(Priority.isTagValue("high")).isTrue();
    assertThat(Priority.isTagValue("HIGH")).isFalse();
    assertThat(Priority.isTagValue("urgent")).isFalse();
  }
}
