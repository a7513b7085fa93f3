package dev.quarry.controlplane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * A remote job's failure, as {@code GET /jobs/:jobid/exceptions} of Flink 2.3 reports it, in one
 * line.
 */
class FlinkFailureCauseTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Abridged from a JobManager whose S3 endpoint refused connections. */
  private static final String REFUSED =
      String.join(
          "\n",
          "org.apache.flink.util.FlinkException: Global failure triggered by OperatorCoordinator for 'Source: read "
              + "s3://m-in/in/ -> parse records' (operator a8687a8ed019dc7844ebc3617fa82b7e).",
          "\tat org.apache.flink.runtime.operators.coordination.OperatorCoordinatorHolder.start(OperatorCoordinatorHolder.java:205)",
          "Caused by: org.apache.flink.util.FlinkRuntimeException: Could not enumerate file splits",
          "\tat org.apache.flink.connector.file.src.AbstractFileSource.createEnumerator(AbstractFileSource.java:147)",
          "\t... 34 more",
          "Caused by: org.apache.hadoop.fs.s3a.AWSClientIOException: getFileStatus on s3://m-in/in: "
              + "com.amazonaws.SdkClientException: Unable to execute HTTP request: Connect to 127.0.0.1:8091 [/127.0.0.1] "
              + "failed: Connection refused: Unable to execute HTTP request: Connect to 127.0.0.1:8091 [/127.0.0.1] failed: "
              + "Connection refused",
          "\tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:214)",
          "Caused by: com.amazonaws.SdkClientException: Unable to execute HTTP request: Connect to 127.0.0.1:8091 "
              + "[/127.0.0.1] failed: Connection refused",
          "Caused by: org.apache.http.conn.HttpHostConnectException: Connect to 127.0.0.1:8091 [/127.0.0.1] failed: "
              + "Connection refused",
          "Caused by: java.net.ConnectException: Connection refused",
          "\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)");

  private static ObjectNode exceptions(String... stacktraces) {
    ObjectNode root = JSON.createObjectNode();
    var entries = root.putObject("exceptionHistory").putArray("entries");
    for (String trace : stacktraces) {
      entries
          .addObject()
          .put("exceptionName", trace.lines().findFirst().orElse(""))
          .put("stacktrace", trace);
    }
    return root;
  }

  @Test
  void theNewestFailureWithEachCauseThatAddsSomething() {
    String cause =
        FlinkFailureCause.from(
            exceptions(REFUSED, "java.lang.IllegalStateException: an older failure"));
    assertThat(cause)
        .isEqualTo(
            "FlinkException: Global failure triggered by OperatorCoordinator for 'Source: read "
                + "s3://m-in/in/ -> parse records' (operator a8687a8ed019dc7844ebc3617fa82b7e).; caused by "
                + "FlinkRuntimeException: Could not enumerate file splits; caused by AWSClientIOException: getFileStatus on "
                + "s3://m-in/in: com.amazonaws.SdkClientException: Unable to execute HTTP request: Connect to 127.0.0.1:8091 "
                + "[/127.0.0.1] failed: Connection refused: Unable to execute HTTP request: Connect to 127.0.0.1:8091 "
                + "[/127.0.0.1] failed: Connection refused");
  }

  @Test
  void nothingToGoOnSaysSo() {
    assertThat(FlinkFailureCause.from(null)).isEqualTo(FlinkFailureCause.UNKNOWN);
    assertThat(FlinkFailureCause.from(JSON.createObjectNode()))
        .isEqualTo(FlinkFailureCause.UNKNOWN);
    assertThat(
            FlinkFailureCause.from(
                JSON.createObjectNode()
                    .put("root-exception", "java.io.IOException: old Flink\n\tat x")))
        .isEqualTo("IOException: old Flink");
  }

  @Test
  void aVeryLongChainIsCut() {
    String trace = "java.lang.RuntimeException: " + "x".repeat(5000);
    assertThat(FlinkFailureCause.from(exceptions(trace))).hasSize(1501).endsWith("…");
  }
}
