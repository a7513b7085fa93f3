package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.FaultRates;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

class LatencyTest extends EmulatorFixture {

  private void latency(LatencyProfile profile) {
    emulator.configure(
        EmulatorConfig.builder()
            .defaultBehavior(ModelBehavior.builder().latency(profile).build())
            .build());
  }

  @Test
  void fixedLatencyIsObservedAndReported() {
    latency(LatencyProfile.fixed(Duration.ofMillis(250)));
    invoke(CLAUDE, claudeBody("warm up the connection"));

    long start = System.nanoTime();
    InvokeModelResponse response = invoke(CLAUDE, claudeBody("slow"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isBetween(240L, 1500L);
    assertThat(header(response, "X-Amzn-Bedrock-Invocation-Latency")).isEqualTo("250");
  }

  @Test
  void slowRequestsWaitConcurrentlyWithoutHoldingThreads() {
    latency(LatencyProfile.fixed(Duration.ofMillis(300)));
    // Open the connections first so the measurement is about waiting, not connecting.
    runConcurrently(200, "warm");

    long start = System.nanoTime();
    List<InvokeModelResponse> responses = runConcurrently(200, "concurrent");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(responses).hasSize(200);
    // Serialized on the emulator's two event loops this would take 30 s; concurrently, about 300
    // ms.
    assertThat(elapsedMs).isBetween(290L, 2000L);
  }

  @Test
  void perOutputTokenLatencyAddsToTheBase() {
    latency(
        LatencyProfile.builder().fixed(Duration.ofMillis(10)).perOutputTokenMillis(0.5).build());

    InvokeModelResponse response = invoke(CLAUDE, claudeBody("tokens cost time", 40));

    int outputTokens = Integer.parseInt(header(response, "X-Amzn-Bedrock-Output-Token-Count"));
    assertThat(header(response, "X-Amzn-Bedrock-Invocation-Latency"))
        .isEqualTo(Long.toString(Math.round(10 + 0.5 * outputTokens)));
  }

  @Test
  void logNormalLatencyIsSpreadAroundTheMedian() {
    latency(LatencyProfile.logNormal(Duration.ofMillis(40), Duration.ofMillis(160)));

    List<Long> latencies = new ArrayList<>();
    for (InvokeModelResponse r : runConcurrently(200, "lognormal")) {
      latencies.add(Long.parseLong(header(r, "X-Amzn-Bedrock-Invocation-Latency")));
    }
    latencies.sort(null);

    assertThat(latencies.get(100)).isBetween(28L, 55L);
    assertThat(latencies.get(0)).isLessThan(latencies.get(199));
  }

  @Test
  void throttlingIsImmediateWhileModelFaultsWaitTheLatency() {
    emulator.configure(
        EmulatorConfig.builder()
            .defaultBehavior(
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofMillis(700)))
                    .faults(FaultRates.builder().internalServerError(1.0).build())
                    .build())
            .build());

    long start = System.nanoTime();
    try {
      invoke(CLAUDE, claudeBody("fails slowly"));
    } catch (InternalServerException expected) {
      // timing checked below
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(690L);

    start = System.nanoTime();
    try {
      invoke(CLAUDE, claudeBody("[[emulator:fail=429]]"));
    } catch (ThrottlingException expected) {
      // timing checked below
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(600L);
  }

  private List<InvokeModelResponse> runConcurrently(int n, String tag) {
    List<CompletableFuture<InvokeModelResponse>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(asyncClient.invokeModel(request(CLAUDE, claudeBody(tag + " " + i))));
    }
    List<InvokeModelResponse> out = new ArrayList<>();
    calls.forEach(c -> out.add(c.join()));
    return out;
  }
}
