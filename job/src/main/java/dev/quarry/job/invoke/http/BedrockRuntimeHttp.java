package dev.quarry.job.invoke.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.endpoints.BedrockRuntimeEndpointProvider;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Sends JSON bodies to Bedrock Runtime operations as they are, signed with the SDK's SigV4 signer,
 * over the HTTP client the job's runtime client uses, and hands back the response body as it came.
 * For operations whose typed SDK model would drop members Bedrock added after the SDK was built
 * (Converse).
 *
 * <p>A call fails as the SDK's calls fail: a non-2xx answer with the {@code
 * BedrockRuntimeException} the SDK's error unmarshaller would raise, a transport failure with
 * {@link SdkClientException}, and a call that outlives the call timeout with {@link
 * ApiCallTimeoutException}.
 */
public final class BedrockRuntimeHttp {
  /** The SigV4 signing name of Bedrock Runtime. */
  public static final String SIGNING_NAME = "bedrock";

  private final SdkAsyncHttpClient http;
  private final URI endpoint;
  private final String region;
  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final Duration callTimeout;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param http the HTTP client, shared with (and owned by) whoever built it
   * @param endpoint the Bedrock Runtime endpoint, see {@link #endpoint}
   * @param region the region requests are signed for
   * @param credentials the credentials requests are signed with, resolved for every request
   *     (providers cache)
   * @param callTimeout how long one call may take, from sending to the last byte of the answer
   */
  public BedrockRuntimeHttp(
      SdkAsyncHttpClient http,
      URI endpoint,
      String region,
      IdentityProvider<? extends AwsCredentialsIdentity> credentials,
      Duration callTimeout) {
    this.http = Objects.requireNonNull(http, "http");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.region = Objects.requireNonNull(region, "region");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /**
   * The endpoint the SDK's runtime client would call: the override when one is configured, else the
   * region's Bedrock Runtime endpoint by the SDK's own endpoint rules ({@code
   * https://bedrock-runtime.<region>.amazonaws.com} in the {@code aws} partition).
   */
  public static URI endpoint(String region, String override) {
    return BedrockRuntimeEndpointProvider.defaultProvider()
        .resolveEndpoint(p -> p.region(Region.of(region)).endpoint(override))
        .join()
        .url();
  }

  /** The path of an operation on a model: {@code /model/<percent-encoded id>/<operation>}. */
  public static String modelPath(String modelId, String operation) {
    return "/model/" + SdkHttpUtils.urlEncode(modelId) + "/" + operation;
  }

  /** POSTs {@code body} as {@code application/json} to {@code path} (already percent-encoded). */
  public CompletableFuture<RuntimeResponse> postJson(String path, byte[] body) {
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .uri(endpoint)
            .encodedPath(base + path)
            .method(SdkHttpMethod.POST)
            .putHeader("Content-Type", "application/json")
            .putHeader("Accept", "application/json")
            .putHeader("Content-Length", Integer.toString(body.length))
            .build();
    CompletableFuture<RuntimeResponse> result = new CompletableFuture<>();
    credentials
        .resolveIdentity()
        .whenComplete(
            (identity, error) -> {
              if (error != null) {
                result.completeExceptionally(
                    SdkClientException.create(
                        "Unable to load credentials: " + error.getMessage(), error));
                return;
              }
              try {
                send(sign(unsigned, body, identity), body, result);
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  private SdkHttpRequest sign(
      SdkHttpRequest request, byte[] body, AwsCredentialsIdentity identity) {
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(identity)
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    return signed.request();
  }

  private void send(
      SdkHttpRequest request, byte[] body, CompletableFuture<RuntimeResponse> result) {
    JsonExchange.send(http, request, body, callTimeout, ErrorResponses::exception)
        .whenComplete(
            (response, error) -> {
              if (error == null) {
                result.complete(response);
              } else {
                result.completeExceptionally(error);
              }
            });
  }
}
