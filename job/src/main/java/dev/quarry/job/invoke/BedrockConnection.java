package dev.quarry.job.invoke;

import dev.quarry.job.invoke.http.BedrockRuntimeHttp;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A Bedrock Runtime client and the signed raw-JSON caller beside it, together with the HTTP client,
 * event loops and credentials they share, closed together: the SDK never closes what it did not
 * build itself.
 *
 * @param client the SDK's runtime client (InvokeModel)
 * @param runtimeHttp signed JSON calls on the same HTTP client and credentials (Converse)
 * @param http the HTTP client both use
 * @param eventLoops the HTTP client's event loops
 * @param credentials the credentials both sign with
 */
public record BedrockConnection(
    BedrockRuntimeAsyncClient client,
    BedrockRuntimeHttp runtimeHttp,
    SdkAsyncHttpClient http,
    EventLoopGroup eventLoops,
    AwsCredentialsProvider credentials)
    implements AutoCloseable {
  @Override
  public void close() {
    client.close();
    http.close();
    // No quiet period: both clients are closed, so nothing can submit work any more. The SDK's own
    // shutdown waits a 2 s quiet period, which a finishing job would spend doing nothing.
    eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (credentials instanceof SdkAutoCloseable closeable) {
      closeable.close(); // the default chain may hold refresh threads and HTTP clients of its own
    }
  }
}
