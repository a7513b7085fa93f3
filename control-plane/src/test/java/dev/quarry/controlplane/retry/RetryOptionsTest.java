package dev.quarry.controlplane.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.api.FieldRules;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line, the error selection and the retry job's name. */
class RetryOptionsTest {
  @Test
  void defaultsPointAtTheLocalStack() {
    RetryOptions o = RetryOptions.parse(new String[] {"abcdefabcdef"}, Map.of());
    assertThat(o)
        .isEqualTo(
            new RetryOptions(
                "abcdefabcdef",
                ErrorSelection.RETRYABLE,
                URI.create("http://127.0.0.1:8090"),
                URI.create("http://127.0.0.1:8091"),
                "us-east-1"));
    assertThat(
            RetryOptions.parse(
                    new String[] {"x"}, Map.of("AWS_ENDPOINT_URL_S3", "http://s3.example:9000"))
                .s3Endpoint())
        .isEqualTo(URI.create("http://s3.example:9000"));
  }

  @Test
  void everyOptionIsRead() {
    RetryOptions o =
        RetryOptions.parse(
            new String[] {
              "--errors",
              "all",
              "--endpoint-url",
              "http://h:1",
              "arn:aws:bedrock:eu-west-1:123456789012:model-invocation-job/abcdefabcdef",
              "--s3-endpoint-url",
              "http://h:2",
              "--region",
              "eu-west-1"
            },
            Map.of("AWS_ENDPOINT_URL_S3", "http://ignored:3"));
    assertThat(o)
        .isEqualTo(
            new RetryOptions(
                "arn:aws:bedrock:eu-west-1:123456789012:model-invocation-job/abcdefabcdef",
                ErrorSelection.ALL,
                URI.create("http://h:1"),
                URI.create("http://h:2"),
                "eu-west-1"));
  }

  @Test
  void badCommandLinesSayWhatIsWrongAndExit2() {
    assertThatThrownBy(() -> RetryOptions.parse(new String[] {}, Map.of()))
        .hasMessageContaining("ARN or id");
    assertThatThrownBy(() -> RetryOptions.parse(new String[] {"j", "--errors", "some"}, Map.of()))
        .hasMessageContaining("--errors must be retryable or all");
    assertThatThrownBy(() -> RetryOptions.parse(new String[] {"j", "--errors"}, Map.of()))
        .hasMessageContaining("Missing value after --errors");
    assertThatThrownBy(() -> RetryOptions.parse(new String[] {"j", "--bogus", "1"}, Map.of()))
        .hasMessageContaining("Unknown option --bogus");
    assertThatThrownBy(() -> RetryOptions.parse(new String[] {"j", "k"}, Map.of()))
        .hasMessageContaining("One job");
    assertThatThrownBy(
            () -> RetryOptions.parse(new String[] {"j", "--endpoint-url", "not a url"}, Map.of()))
        .hasMessageContaining("--endpoint-url must be a URL");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RetryCommand.run(
            new String[] {"j", "--errors", "some"},
            Map.of(),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--errors must be")
        .contains("Usage: scripts/quarry retry");
  }

  @Test
  void retryableCodesAreThrottlingTimeoutsModelErrorsAnd5xx() {
    assertThat(List.of(408, 424, 429, 500, 503, 599))
        .allSatisfy(c -> assertThat(ErrorSelection.isRetryable(c)).isTrue());
    assertThat(List.of(400, 403, 404, 413, 422, 600))
        .allSatisfy(c -> assertThat(ErrorSelection.isRetryable(c)).isFalse());
  }

  @Test
  void theRetryJobNameFitsBedrocksPattern() {
    assertThat(RetryJobName.of("nightly-run", 1)).isEqualTo("nightly-run-retry-1");
    String longName = "a" + "b-".repeat(30) + "c"; // 62 characters
    String name = RetryJobName.of(longName, 12);
    assertThat(name).hasSize(63).endsWith("-retry-12").startsWith(longName.substring(0, 54));
    assertThat(FieldRules.JOB_NAME.matches(name)).isTrue();
    assertThat(FieldRules.JOB_NAME.matches(RetryJobName.of("x".repeat(63), 3))).isTrue();
    assertThat(RetryJobName.of("x".repeat(63), 3)).hasSize(63);
  }
}
