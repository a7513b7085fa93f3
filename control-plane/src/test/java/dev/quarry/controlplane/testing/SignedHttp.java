package dev.quarry.controlplane.testing;

import dev.quarry.controlplane.keys.AccessKey;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Requests the SDK client would not send (bad bodies, odd parameters), signed by the SDK's own
 * SigV4 signer with a key and sent by {@link HttpClient}, so that what is sent can differ from what
 * was signed.
 */
public final class SignedHttp {
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI endpoint;
  private final AccessKey key;

  public SignedHttp(URI endpoint, AccessKey key) {
    this.endpoint = endpoint;
    this.key = key;
  }

  /** Signs {@code method pathAndQuery} with {@code body} and sends it unchanged. */
  public HttpResponse<String> send(String method, String pathAndQuery, String body)
      throws Exception {
    return send(sign(method, pathAndQuery, body, Clock.systemUTC()), method, body);
  }

  /** The request with its SigV4 headers, signed at {@code clock}'s time. */
  public SdkHttpRequest sign(String method, String pathAndQuery, String body, Clock clock) {
    int q = pathAndQuery.indexOf('?');
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .protocol("http")
            .host(endpoint.getHost())
            .port(endpoint.getPort())
            .encodedPath(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q))
            .putHeader("Content-Type", "application/json");
    if (q >= 0) {
      for (String pair : pathAndQuery.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        request.appendRawQueryParameter(
            decode(eq < 0 ? pair : pair.substring(0, eq)),
            eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    SdkHttpRequest unsigned = request.build();
    return AwsV4HttpSigner.create()
        .sign(
            r ->
                r.identity(AwsBasicCredentials.create(key.accessKey(), key.secretKey()))
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromUtf8String(body))
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
        .request();
  }

  /** Sends {@code signed}'s URI and headers (but Host, which the client sets) with {@code body}. */
  public HttpResponse<String> send(SdkHttpRequest signed, String method, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.getUri())
            .method(
                method,
                body.isEmpty() && !method.equals("POST")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Host")) {
        header.getValue().forEach(v -> request.header(header.getKey(), v));
      }
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
