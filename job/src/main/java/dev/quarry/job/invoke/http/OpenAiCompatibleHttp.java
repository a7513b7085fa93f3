package dev.quarry.job.invoke.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * POSTs JSON to an OpenAI-compatible server ({@code <base URL>/chat/completions}, {@code
 * /embeddings}) with {@code Authorization: Bearer <key>} when it has a key, over the job's Netty
 * HTTP client. Failures are those of {@link BedrockRuntimeHttp}: an error answer is the {@code
 * BedrockRuntimeException} for its status (see {@link UpstreamErrors}), so retries and error lines
 * treat both providers alike.
 */
public final class OpenAiCompatibleHttp {
  private final SdkAsyncHttpClient http;
  private final URI baseUrl;
  private final String apiKey;
  private final Duration callTimeout;

  /**
   * @param http the HTTP client, owned by the caller
   * @param baseUrl the server's base URL with its version path, e.g. {@code http://vllm:8000/v1}
   * @param apiKey the bearer key, or {@code null} to send none
   * @param callTimeout how long one call may take, from sending to the last byte of the answer
   */
  public OpenAiCompatibleHttp(
      SdkAsyncHttpClient http, URI baseUrl, String apiKey, Duration callTimeout) {
    this.http = Objects.requireNonNull(http, "http");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.apiKey = apiKey;
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /** POSTs {@code body} to {@code path} ({@code /chat/completions}) under the base URL. */
  public CompletableFuture<RuntimeResponse> postJson(String path, byte[] body) {
    String base = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .uri(baseUrl)
            .encodedPath(base + path)
            .method(SdkHttpMethod.POST)
            .putHeader("Content-Type", "application/json")
            .putHeader("Accept", "application/json")
            .putHeader("Content-Length", Integer.toString(body.length));
    if (apiKey != null) {
      request.putHeader("Authorization", "Bearer " + apiKey);
    }
    try {
      return JsonExchange.send(http, request.build(), body, callTimeout, UpstreamErrors::exception);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleHttp[" + baseUrl + (apiKey == null ? "" : ", key ***") + "]";
  }
}
