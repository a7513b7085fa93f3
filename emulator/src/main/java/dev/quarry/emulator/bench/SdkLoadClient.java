package dev.quarry.emulator.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;

/**
 * Drives the emulator with the real {@code BedrockRuntimeAsyncClient} (Netty, HTTP/1.1, retries
 * off): a fixed number of closed loops, each invoking again when its previous call completes.
 * Includes SigV4 signing and the SDK's marshalling, so it shows what a real client of the emulator
 * can expect.
 */
final class SdkLoadClient {
  private final URI endpoint;

  SdkLoadClient(URI endpoint) {
    this.endpoint = endpoint;
  }

  BenchmarkResult run(int connections, Duration warmup, Duration measured, List<byte[]> bodies)
      throws InterruptedException {
    List<InvokeModelRequest> requests = new ArrayList<>(bodies.size());
    for (byte[] body : bodies) {
      requests.add(
          InvokeModelRequest.builder()
              .modelId(BenchmarkBodies.MODEL_ID)
              .contentType("application/json")
              .accept("application/json")
              .body(SdkBytes.fromByteArray(body))
              .build());
    }
    NettyLoadClient.LoadPhase phase = new NettyLoadClient.LoadPhase();
    List<LatencyRecorder> lanes = new ArrayList<>();
    CountDownLatch drained = new CountDownLatch(connections);
    SdkAsyncHttpClient http =
        NettyNioAsyncHttpClient.builder()
            .protocol(Protocol.HTTP1_1)
            .maxConcurrency(connections)
            .readTimeout(Duration.ofSeconds(30))
            .build();
    try (BedrockRuntimeAsyncClient client =
        BedrockRuntimeAsyncClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(endpoint)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIAEMULATOR", "emulator-secret")))
            .httpClient(http)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build()) {
      for (int i = 0; i < connections; i++) {
        LatencyRecorder lane = new LatencyRecorder();
        lanes.add(lane);
        new Loop(client, requests, i * 7919, phase, lane, drained).next();
      }
      Thread.sleep(warmup.toMillis());
      phase.recording = true;
      long cpuStart = ProcessCpu.nanos();
      long start = System.nanoTime();
      Thread.sleep(measured.toMillis());
      phase.recording = false;
      double seconds = (System.nanoTime() - start) / 1e9;
      long cpu = cpuStart < 0 ? -1 : ProcessCpu.nanos() - cpuStart;
      phase.running = false;
      drained.await(30, TimeUnit.SECONDS);
      return new BenchmarkResult(
          "aws-sdk async (netty h1.1)",
          connections,
          1,
          phase.completed.sum(),
          phase.errors.sum(),
          seconds,
          LatencyRecorder.mergeSorted(lanes),
          cpu);
    } finally {
      http.close();
    }
  }

  /** One closed loop; calls are sequential, so its recorder needs no locking. */
  private static final class Loop {
    private final BedrockRuntimeAsyncClient client;
    private final List<InvokeModelRequest> requests;
    private final NettyLoadClient.LoadPhase phase;
    private final LatencyRecorder recorder;
    private final CountDownLatch drained;
    private int next;

    Loop(
        BedrockRuntimeAsyncClient client,
        List<InvokeModelRequest> requests,
        int offset,
        NettyLoadClient.LoadPhase phase,
        LatencyRecorder recorder,
        CountDownLatch drained) {
      this.client = client;
      this.requests = requests;
      this.next = offset;
      this.phase = phase;
      this.recorder = recorder;
      this.drained = drained;
    }

    void next() {
      if (!phase.running) {
        drained.countDown();
        return;
      }
      InvokeModelRequest request = requests.get(Math.floorMod(next++, requests.size()));
      long start = System.nanoTime();
      client
          .invokeModel(request)
          .whenComplete(
              (response, error) -> {
                if (phase.recording) {
                  recorder.record(System.nanoTime() - start);
                  phase.completed.increment();
                  if (error != null) {
                    phase.errors.increment();
                  }
                }
                next();
              });
    }
  }
}
