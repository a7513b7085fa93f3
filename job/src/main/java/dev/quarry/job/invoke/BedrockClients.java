package dev.quarry.job.invoke;

import dev.quarry.job.invoke.http.BedrockRuntimeHttp;
import dev.quarry.job.invoke.http.ModelHttpClient;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.InvokeLimits;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * Builds the Bedrock Runtime clients a subtask calls the model with: the SDK's, and signed raw JSON
 * beside it.
 */
public final class BedrockClients {
  private BedrockClients() {}

  /**
   * A client with SDK retries off (the job owns retries and rate limits) and an explicit HTTP/1.1
   * Netty client: the runtime client would otherwise default to HTTP/2, which plain HTTP endpoints
   * such as the emulator do not speak.
   */
  public static BedrockConnection create(BedrockEndpoint endpoint, InvokeLimits limits) {
    Duration callTimeout = Duration.ofMillis(limits.callTimeoutMillis());
    // Event loops of this client's own, closed without the SDK's 2 s quiet period (see
    // BedrockConnection).
    ModelHttpClient client = ModelHttpClient.open(limits);
    SdkAsyncHttpClient http = client.http();
    SdkEventLoopGroup eventLoops = client.eventLoops();
    AwsCredentialsProvider credentials = credentials(endpoint);
    var builder =
        BedrockRuntimeAsyncClient.builder()
            .region(Region.of(endpoint.region()))
            .httpClient(http)
            .credentialsProvider(credentials)
            // Answers complete on the I/O thread that read them, as the raw HTTP routes' do: the
            // SDK's default hands each one to a thread pool of its own first, a thread wake-up and
            // about 20 ms of CPU per 1,000 calls. Nothing that completes these futures blocks: a
            // call's answer is parsed and handed to the Flink task's queue.
            .asyncConfiguration(
                a ->
                    a.advancedOption(
                        SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(callTimeout)
                        .apiCallTimeout(callTimeout));
    if (endpoint.endpoint() != null) {
      builder.endpointOverride(URI.create(endpoint.endpoint()));
    }
    BedrockRuntimeHttp runtimeHttp =
        new BedrockRuntimeHttp(
            http,
            BedrockRuntimeHttp.endpoint(endpoint.region(), endpoint.endpoint()),
            endpoint.region(),
            credentials,
            callTimeout);
    return new BedrockConnection(
        builder.build(), runtimeHttp, http, eventLoops.eventLoopGroup(), credentials);
  }

  private static AwsCredentialsProvider credentials(BedrockEndpoint endpoint) {
    if (endpoint.accessKeyId() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    // Resolved here, in the task that calls Bedrock: the spec only says where the secrets are.
    String secret = endpoint.secretAccessKeyRef().resolve();
    if (endpoint.sessionTokenRef() != null) {
      return StaticCredentialsProvider.create(
          AwsSessionCredentials.create(
              endpoint.accessKeyId(), secret, endpoint.sessionTokenRef().resolve()));
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(endpoint.accessKeyId(), secret));
  }
}
