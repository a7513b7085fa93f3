package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.emulator.config.EmulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;

/**
 * With credentials configured, model requests must carry a valid SigV4 signature, checked as AWS
 * checks it.
 */
class SignatureTest extends EmulatorFixture {
  private static final String ACCESS_KEY = "AKIAEMULATOR";
  private static final String SECRET = "emulator-secret";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  EmulatorConfig baseConfig() {
    return EmulatorConfig.defaults().toBuilder().credential(ACCESS_KEY, SECRET).build();
  }

  @Test
  void requestsTheSdkSignsAreAnswered() {
    assertThat(invoke(CLAUDE, claudeBody("signed")).body().asUtf8String()).contains("signed");
    String arn = "arn:aws:bedrock:us-east-1::foundation-model/" + CLAUDE;
    assertThat(invoke(arn, claudeBody("by arn")).body().asUtf8String()).contains("by arn");
    assertThat(
            client
                .converse(
                    b -> b.modelId(CLAUDE).messages(m -> m.role("user").content(c -> c.text("hi"))))
                .output()
                .message()
                .content()
                .get(0)
                .text())
        .startsWith("Emulated reply to: hi");
  }

  @Test
  void anUnsignedRequestIsRefusedAndNotCounted() {
    HttpResponse<String> response =
        RawHttp.post(
            emulator.endpoint(),
            "/model/" + CLAUDE + "/invoke",
            "application/json",
            claudeBody("unsigned"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("MissingAuthenticationTokenException");
    assertThat(emulator.stats().totals().requests()).isZero();
    assertThat(RawHttp.get(emulator.endpoint(), "/_emulator/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aWrongSecretOrAnUnknownKeyIsRefused() {
    try (BedrockRuntimeClient wrongSecret = clientWith(ACCESS_KEY, "not-the-secret");
        BedrockRuntimeClient unknownKey = clientWith("AKIASTRANGER", SECRET)) {
      assertThatThrownBy(() -> wrongSecret.invokeModel(request(CLAUDE, claudeBody("x"))))
          .isInstanceOfSatisfying(
              BedrockRuntimeException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
              });
      assertThatThrownBy(() -> unknownKey.invokeModel(request(CLAUDE, claudeBody("x"))))
          .isInstanceOfSatisfying(
              BedrockRuntimeException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void theSignatureCoversTheBodyAndTheServiceName() {
    String path = "/model/" + CLAUDE + "/converse";
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"original\"}]}]}";

    assertThat(send(signed(path, body, "bedrock"), body).statusCode()).isEqualTo(200);
    HttpResponse<String> tampered =
        send(signed(path, body, "bedrock"), body.replace("original", "tampered"));
    assertThat(tampered.statusCode()).isEqualTo(403);
    assertThat(tampered.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("InvalidSignatureException");
    HttpResponse<String> otherService = send(signed(path, body, "s3"), body);
    assertThat(otherService.statusCode()).isEqualTo(403);
    assertThat(otherService.body())
        .contains("Credential should be scoped to correct service: 'bedrock'");
  }

  @Test
  void anAuthorizationHeaderOfAnotherSchemeIsIncomplete() {
    HttpRequest request =
        HttpRequest.newBuilder(emulator.endpoint().resolve("/model/" + CLAUDE + "/invoke"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer some-api-key")
            .POST(HttpRequest.BodyPublishers.ofString(claudeBody("x")))
            .build();

    HttpResponse<String> response = send(request);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("IncompleteSignatureException");
  }

  private BedrockRuntimeClient clientWith(String accessKey, String secret) {
    return BedrockRuntimeClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(emulator.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  // Signed by the SDK's own SigV4 signer, then sent by a plain HTTP client so the body can differ
  // from it.
  private SdkHttpRequest signed(String path, String body, String signingName) {
    URI endpoint = emulator.endpoint();
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .protocol("http")
            .host(endpoint.getHost())
            .port(endpoint.getPort())
            .encodedPath(path)
            .putHeader("Content-Type", "application/json")
            .build();
    return AwsV4HttpSigner.create()
        .sign(
            r ->
                r.identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET))
                    .request(request)
                    .payload(
                        ContentStreamProvider.fromByteArray(
                            SdkBytes.fromUtf8String(body).asByteArray()))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
        .request();
  }

  private static HttpResponse<String> send(SdkHttpRequest signed, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.getUri())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Host")) {
        header.getValue().forEach(v -> request.header(header.getKey(), v));
      }
    }
    return send(request.build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
