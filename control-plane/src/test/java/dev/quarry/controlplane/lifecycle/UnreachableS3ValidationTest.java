package dev.quarry.controlplane.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.job.io.FileSystemSetup;
import dev.quarry.job.testing.SharedS3;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An S3 endpoint nobody listens on fails validation quickly, naming the endpoint, rather than after
 * the S3A client's default retries (minutes).
 */
class UnreachableS3ValidationTest {
  private static final Path PLUGINS = Path.of(System.getProperty("quarry.flink.plugins-dir"));

  @AfterEach
  void restoreSharedS3() {
    FileSystemSetup.initialize(PLUGINS, SharedS3.get().settings()); // FileSystem is JVM-global
  }

  @Test
  void aClosedPortFailsValidationWithinFifteenSecondsNamingTheEndpoint() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + closed;
    ControlPlaneConfig config =
        ControlPlaneConfig.from(
            new ConfigSource(
                Map.of(
                    "quarry.s3.endpoint", endpoint,
                    "quarry.s3.path-style-access", "true",
                    "quarry.s3.access-key", "k",
                    "quarry.s3.secret-key", "s"),
                Map.of()));
    FileSystemSetup.initialize(PLUGINS, config.s3());
    InputValidator validator = new InputValidator(config.quotas(), config.s3());

    long start = System.nanoTime();
    InputCheck check = validator.validate("s3://in/records/", "s3://out/results/");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(check.isValid()).isFalse();
    assertThat(check.failure()).contains(endpoint).contains("s3://in/records/");
    assertThat(took)
        .as("validation of an unreachable S3 took " + took)
        .isLessThan(Duration.ofSeconds(15));
  }
}
