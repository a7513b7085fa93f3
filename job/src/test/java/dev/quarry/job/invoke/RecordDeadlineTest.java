package dev.quarry.job.invoke;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordResult;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A record that cannot get a rate-limit slot before its deadline ends as a 408 error line, as it
 * did when Flink's async operator kept the deadline; the function keeps it now.
 */
class RecordDeadlineTest {
  private static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
  private static final String INPUT =
      "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static BedrockEmulator emulator;

  @BeforeAll
  static void start() {
    emulator = BedrockEmulator.builder().port(0).build().start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void aRecordStillWaitingForASlotAtItsDeadlineGetsA408Line() throws Exception {
    JobSpec spec =
        JobSpec.builder()
            .jobId("deadline0001")
            .inputUri("file:///nowhere/in/")
            .outputUri("file:///nowhere/out/")
            .modelId(CLAUDE)
            .bedrock(
                BedrockEndpoint.staticKeys(emulator.endpoint().toString(), "us-east-1", "t", "t"))
            // One call a minute: the first record is sent at once, the second waits a minute.
            .limits(InvokeLimits.builder().requestsPerMinute(1).build())
            .build();
    long deadlineMillis = 500;
    BedrockInvokeFunction function = new BedrockInvokeFunction(spec, 60_000, deadlineMillis);
    long started = System.nanoTime();
    List<RecordResult> out;
    try (var harness =
        new OneInputStreamOperatorTestHarness<>(
            new AsyncWaitOperatorFactory<BatchRecord, RecordResult>(
                function, 0, 4, AsyncDataStream.OutputMode.UNORDERED),
            TypeInformation.of(BatchRecord.class).createSerializer(new SerializerConfigImpl()))) {
      harness.open();
      harness.processElement(new StreamRecord<>(BatchRecord.record("f", 1, "first", INPUT)));
      harness.processElement(new StreamRecord<>(BatchRecord.record("f", 2, "second", INPUT)));
      harness.endInput(); // waits for both records
      out = harness.extractOutputValues();
    }
    long tookMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(out).hasSize(2);
    RecordResult second = out.stream().filter(r -> r.lineNumber == 2).findFirst().orElseThrow();
    JsonNode line = new ObjectMapper().readTree(second.outputLine);
    assertThat(line.path("recordId").asText()).isEqualTo("second");
    assertThat(line.path("error").path("errorCode").asInt()).isEqualTo(408);
    assertThat(second.success).isFalse();
    RecordResult first = out.stream().filter(r -> r.lineNumber == 1).findFirst().orElseThrow();
    assertThat(first.success).as(new String(first.outputLine, UTF_8)).isTrue();
    // at its deadline, not after the minute its slot would have taken
    assertThat(tookMillis).isBetween(deadlineMillis, 30_000L);
  }
}
