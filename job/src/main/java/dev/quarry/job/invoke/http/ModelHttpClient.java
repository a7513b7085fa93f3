package dev.quarry.job.invoke.http;

import dev.quarry.job.spec.InvokeLimits;
import java.time.Duration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

/**
 * The Netty HTTP/1.1 client a subtask calls its model with, on event loops of its own (closed
 * without the SDK's 2 s quiet period by whoever owns them): Bedrock's runtime client would
 * otherwise default to HTTP/2, which plain HTTP endpoints such as the emulator or a local model
 * server do not speak. Calls beyond {@code maxConcurrency} wait for a connection without a
 * deadline, since the job's dispatcher already bounds them.
 *
 * @param http the client
 * @param eventLoops its event loops
 */
public record ModelHttpClient(SdkAsyncHttpClient http, SdkEventLoopGroup eventLoops) {

  /** A client for {@code limits}' concurrency, with its call timeout on every read and write. */
  public static ModelHttpClient open(InvokeLimits limits) {
    Duration callTimeout = Duration.ofMillis(limits.callTimeoutMillis());
    SdkEventLoopGroup eventLoops =
        SdkEventLoopGroup.builder()
            .numberOfThreads(2 * Math.max(1, Runtime.getRuntime().availableProcessors()))
            .build();
    SdkAsyncHttpClient http =
        NettyNioAsyncHttpClient.builder()
            .eventLoopGroup(eventLoops)
            .protocol(Protocol.HTTP1_1)
            .maxConcurrency(limits.maxConcurrency())
            .maxPendingConnectionAcquires(100_000)
            .connectionAcquisitionTimeout(Duration.ofMinutes(10))
            .readTimeout(callTimeout)
            .writeTimeout(callTimeout)
            .build();
    return new ModelHttpClient(http, eventLoops);
  }
}
