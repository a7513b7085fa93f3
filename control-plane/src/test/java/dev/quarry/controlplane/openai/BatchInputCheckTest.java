package dev.quarry.controlplane.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch's input checked line by line, each defect with OpenAI's code and its line. */
class BatchInputCheckTest {
  private static final String OK =
      "{\"custom_id\":\"%s\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
          + "\"body\":{\"model\":\"m\",\"messages\":[]}}";

  private static BatchInputCheck.Result check(long maxRequests, int maxLine, String... lines) {
    byte[] text = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    try {
      return new BatchInputCheck("/v1/chat/completions", maxRequests, maxLine)
          .check(new ByteArrayInputStream(text));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> codes(BatchInputCheck.Result result) {
    return result.errors().stream().map(e -> e.code() + "@" + e.line()).toList();
  }

  @Test
  void aGoodFileHasItsModelAndCountAndBlankLinesAndAByteOrderMarkAreFine() {
    BatchInputCheck.Result result =
        check(10, 1000, "\uFEFF" + String.format(OK, "a"), "", "  ", String.format(OK, "b"), "");
    assertThat(result.passed()).isTrue();
    assertThat(result.model()).isEqualTo("m");
    assertThat(result.requests()).isEqualTo(2);
  }

  @Test
  void eachDefectIsReportedOnItsLine() {
    BatchInputCheck.Result result =
        check(
            10,
            200,
            String.format(OK, "a"),
            "[1,2]",
            String.format(OK, "a"),
            String.format(OK, "b").replace("\"POST\"", "\"GET\""),
            "{\"custom_id\":7,\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":[]}",
            "{\"custom_id\":\"c\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"other\"}}",
            "{\"custom_id\":\"d\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"x\":\""
                + "y".repeat(300)
                + "\"}}");
    assertThat(codes(result))
        .containsExactly(
            "invalid_json_line@2",
            "duplicate_custom_id@3",
            "invalid_value@4",
            "invalid_value@5",
            "invalid_value@5",
            "missing_required_parameter@6",
            "model_mismatch@6",
            "request_too_large@7");
    assertThat(result.errors().get(5).param()).isEqualTo("method");
  }

  @Test
  void anEmptyFileAndTooManyRequestsFailTheWholeBatch() {
    assertThat(codes(check(10, 1000, "", " "))).containsExactly("empty_file@null");
    assertThat(
            codes(
                check(
                    2,
                    1000,
                    String.format(OK, "a"),
                    String.format(OK, "b"),
                    String.format(OK, "c"))))
        .containsExactly("too_many_tasks@null");
  }

  @Test
  void pastAHundredErrorsTheRestAreCounted() {
    String[] lines = new String[150];
    java.util.Arrays.fill(lines, "not json");
    BatchInputCheck.Result result = check(1000, 1000, lines);
    assertThat(result.errors()).hasSize(BatchInputCheck.MAX_ERRORS + 1);
    assertThat(result.errors().get(BatchInputCheck.MAX_ERRORS).message())
        .startsWith("50 more errors");
  }
}
