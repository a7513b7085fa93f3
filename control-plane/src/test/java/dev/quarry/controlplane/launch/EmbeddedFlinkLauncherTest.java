package dev.quarry.controlplane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded launcher against a real MiniCluster: a checkpoint asked for is taken at once. */
class EmbeddedFlinkLauncherTest {
  @TempDir Path dir;

  @Test
  void aRequestedCheckpointIsTakenWithoutWaitingForTheInterval() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.write(in.resolve("a.jsonl"), Corpus.file("slow", 40));
    EmulatorConfig slow =
        EmulatorConfig.builder()
            .defaultBehavior(
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofMillis(500)))
                    .build())
            .build();
    try (BedrockEmulator emulator = BedrockEmulator.builder().port(0).config(slow).build().start();
        EmbeddedFlinkLauncher launcher =
            new EmbeddedFlinkLauncher(new EmbeddedFlinkSettings(1, 4, dir.resolve("flink")))) {
      JobSpec spec =
          JobSpec.builder()
              .jobId("checkpoint01")
              .inputUri(in.toUri().toString())
              .outputUri(dir.resolve("out").toUri().toString())
              .modelId("anthropic.claude-3-haiku-20240307-v1:0")
              .bedrock(
                  BedrockEndpoint.staticKeys(emulator.endpoint().toString(), "us-east-1", "k", "s"))
              .limits(
                  InvokeLimits.builder()
                      .maxConcurrency(1)
                      .build()) // 40 records at 2 per second: 20 s
              .checkpointIntervalMillis(600_000) // the interval alone would take none in this test
              .build();
      String flinkJobId = launcher.launch(spec, null);
      awaitRunning(launcher, flinkJobId);
      // Flink may take one of its own when the sources finish (they read 40 lines at once).
      Optional<String> before = launcher.latestCheckpoint(spec);

      Optional<String> taken = before;
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (taken.equals(before) && System.nanoTime() < deadline) {
        launcher.requestCheckpoint(flinkJobId);
        Thread.sleep(500);
        taken = launcher.latestCheckpoint(spec);
      }
      assertThat(taken)
          .as("a newer completed checkpoint of the running job")
          .isPresent()
          .isNotEqualTo(before);
      assertThat(launcher.state(flinkJobId).phase()).isEqualTo(FlinkJobState.Phase.RUNNING);
    }
  }

  private static void awaitRunning(EmbeddedFlinkLauncher launcher, String flinkJobId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (launcher.state(flinkJobId).phase() != FlinkJobState.Phase.RUNNING) {
      assertThat(System.nanoTime()).as("the job runs within 30 s").isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(2_000); // its tasks deployed and reading
  }
}
