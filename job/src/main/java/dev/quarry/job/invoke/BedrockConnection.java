package dev.quarry.job.invoke;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * A Bedrock Runtime client together with the HTTP client and event loops it was given, closed together: the SDK
 * never closes what it did not build itself.
 */
public record BedrockConnection(BedrockRuntimeAsyncClient client, SdkAsyncHttpClient http, EventLoopGroup eventLoops)
    implements AutoCloseable {
  @Override
  public void close() {
    client.close();
    http.close();
    // No quiet period: both clients are closed, so nothing can submit work any more. The SDK's own
    // shutdown waits a 2 s quiet period, which a finishing job would spend doing nothing.
    eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
