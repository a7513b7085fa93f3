package dev.quarry.controlplane.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.retry.RecordOutcomes.Outcome;
import dev.quarry.job.record.OutputLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading an output file, as the job writes it, into each record's outcome. */
class RecordOutcomesTest {
  private static RecordOutcomes read(String... lines) throws IOException {
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    return RecordOutcomes.read(new ByteArrayInputStream(bytes), "test.jsonl.out");
  }

  @Test
  void successRetryableAndOtherErrorsAreTold() throws IOException {
    String input =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"{\\\"recordId\\\":\\\"fake\\\"}\"}]}";
    RecordOutcomes outcomes =
        read(
            OutputLine.success(
                "ok",
                input,
                "{\"content\":[{\"text\":\"error\"}],\"nested\":{\"recordId\":\"inner\"}}"),
            OutputLine.error("throttled", input, 429, "slow down"),
            OutputLine.error("timeout", input, 408, "timed out"),
            OutputLine.error("model-error", input, 424, "model failed"),
            OutputLine.error("server", null, 503, "unavailable"),
            OutputLine.error("bad", input, 400, "Malformed input request"),
            OutputLine.error("denied", input, 403, "no access"));
    assertThat(outcomes.of("ok")).isEqualTo(Outcome.SUCCEEDED);
    assertThat(outcomes.of("throttled")).isEqualTo(Outcome.RETRYABLE_ERROR);
    assertThat(outcomes.of("timeout")).isEqualTo(Outcome.RETRYABLE_ERROR);
    assertThat(outcomes.of("model-error")).isEqualTo(Outcome.RETRYABLE_ERROR);
    assertThat(outcomes.of("server")).isEqualTo(Outcome.RETRYABLE_ERROR);
    assertThat(outcomes.of("bad")).isEqualTo(Outcome.OTHER_ERROR);
    assertThat(outcomes.of("denied")).isEqualTo(Outcome.OTHER_ERROR);
    assertThat(outcomes.of("inner"))
        .as("ids inside modelInput/modelOutput are not records")
        .isNull();
    assertThat(outcomes.of("fake")).isNull();
    assertThat(outcomes.of("missing")).isNull();
  }

  @Test
  void aDuplicateIdCountsItsBestLine() throws IOException {
    RecordOutcomes outcomes =
        read(
            OutputLine.error("dup", "{}", 400, "duplicate recordId"),
            OutputLine.success("dup", "{}", "{}"),
            OutputLine.error("twice", "{}", 400, "duplicate recordId"),
            OutputLine.error("twice", "{}", 500, "server"));
    assertThat(outcomes.of("dup")).isEqualTo(Outcome.SUCCEEDED);
    assertThat(outcomes.of("twice")).isEqualTo(Outcome.RETRYABLE_ERROR);
  }

  @Test
  void somethingElseThanAnOutputFileIsAnError() {
    assertThatThrownBy(() -> read("[1,2]"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("test.jsonl.out");
    assertThatThrownBy(() -> read("{\"modelOutput\":{}}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without a recordId");
  }
}
