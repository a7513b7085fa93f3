package dev.quarry.job.invoke;

import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * A Bedrock Runtime client together with the HTTP client it was given, closed together: the SDK
 * never closes an HTTP client it did not build itself.
 */
public record BedrockConnection(BedrockRuntimeAsyncClient client, SdkAsyncHttpClient http) implements AutoCloseable {
  @Override
  public void close() {
    client.close();
    http.close();
  }
}
