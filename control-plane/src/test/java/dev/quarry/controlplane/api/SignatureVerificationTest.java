package dev.quarry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.controlplane.testing.SignedHttp;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.bedrock.BedrockClient;

/**
 * Every API request is checked for an AWS Signature Version 4 the way AWS checks it, with AWS's 403
 * error codes: the SDK's own signer against the control plane's verifier.
 */
class SignatureVerificationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you "
          + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for "
          + "details.";

  @TempDir static Path dataDir;
  static ControlPlaneFixture quarry;

  @BeforeAll
  static void start() throws Exception {
    quarry = new ControlPlaneFixture(dataDir, Map.of());
  }

  @AfterAll
  static void stop() {
    quarry.close();
  }

  @Test
  void theSdkWithAKnownKeySucceeds() {
    assertThat(
            quarry.bedrock().listModelInvocationJobs(b -> b.maxResults(1)).invocationJobSummaries())
        .isEmpty();
  }

  @Test
  void anUnknownAccessKeyIsUnrecognized() {
    try (BedrockClient stranger = client("AKIANOBODYKNOWSTHIS1", quarry.key().secretKey())) {
      assertAwsError(
          () -> stranger.listModelInvocationJobs(b -> b.maxResults(1)),
          "UnrecognizedClientException",
          "The security token included in the request is invalid.");
    }
  }

  @Test
  void aWrongSecretIsAnInvalidSignature() {
    try (BedrockClient wrong =
        client(quarry.key().accessKey(), "not-the-secret-of-this-key-at-all-000000")) {
      assertAwsError(
          () -> wrong.getModelInvocationJob(b -> b.jobIdentifier("abcdefabcdef")),
          "InvalidSignatureException",
          MISMATCH);
    }
  }

  @Test
  void aRequestSignedSixMinutesAgoHasExpired() throws Exception {
    // The server's clock six minutes ahead is a client's clock six minutes behind.
    Clock signedAt = Clock.systemUTC();
    SdkHttpRequest signed =
        quarry.http().sign("GET", "/model-invocation-jobs?maxResults=1", "", signedAt);
    String amzDate = signed.firstMatchingHeader("X-Amz-Date").orElseThrow();
    quarry.clock.advance(Duration.ofMinutes(6));
    try {
      HttpResponse<String> response = quarry.http().send(signed, "GET", "");
      String now =
          DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
              .withZone(ZoneOffset.UTC)
              .format(quarry.clock.instant());
      assertAwsError(
          response,
          "InvalidSignatureException",
          "Signature expired: " + amzDate + " is now earlier than ");
      assertThat(message(response)).endsWith("(" + now + " - 5 min.)");
      // and the SDK, whose clock is the real one, is refused the same way
      try (BedrockClient sdk = client(quarry.key().accessKey(), quarry.key().secretKey())) {
        assertAwsError(
            () -> sdk.listModelInvocationJobs(b -> b.maxResults(1)),
            "InvalidSignatureException",
            "Signature expired: ");
      }
    } finally {
      quarry.clock.advance(Duration.ofMinutes(-6));
    }
    assertThat(quarry.http().send("GET", "/model-invocation-jobs?maxResults=1", "").statusCode())
        .as("within five minutes again")
        .isEqualTo(200);
  }

  @Test
  void noAuthorizationIsAMissingToken() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(quarry.plane().endpoint() + "/model-invocation-jobs"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertAwsError(response, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }

  @Test
  void aRequestWithoutAValidKeyIsRefusedBeforeItsBodyIsRead() throws Exception {
    // the body is announced and never sent: were it awaited, the answer would be 408 after the
    // body timeout, not 403
    for (String authorization :
        List.of(
            "",
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIAUNKNOWNUNKNOWN12/"
                + "20261201/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\n")) {
      try (Socket socket =
          new Socket(quarry.plane().endpoint().getHost(), quarry.plane().endpoint().getPort())) {
        socket.setSoTimeout(5_000);
        socket
            .getOutputStream()
            .write(
                ("POST /model-invocation-job HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000000\r\n"
                        + authorization
                        + "X-Amz-Date: 20261201T000000Z\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(head).isEqualTo("HTTP/1.1 403");
      }
    }
  }

  @Test
  void aBodyChangedAfterSigningIsAnInvalidSignature() throws Exception {
    String signedBody =
        "{\"resourceARN\":\"arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/"
            + "abcdefabcdef\"}";
    String sentBody = signedBody.replace("abcdefabcdef", "bbcdefabcdef");
    SignedHttp http = quarry.http();
    SdkHttpRequest signed =
        http.sign("POST", "/listTagsForResource", signedBody, Clock.systemUTC());
    assertAwsError(http.send(signed, "POST", sentBody), "InvalidSignatureException", "");
    assertThat(http.send(signed, "POST", signedBody).statusCode())
        .as("the body as signed is accepted (404: no job)")
        .isEqualTo(404);
  }

  @Test
  void aSignatureThatDoesNotCoverHostIsRefused() throws Exception {
    SignedHttp http = quarry.http();
    SdkHttpRequest signed = http.sign("GET", "/model-invocation-jobs", "", Clock.systemUTC());
    String authorization = signed.firstMatchingHeader("Authorization").orElseThrow();
    assertThat(authorization).containsPattern("SignedHeaders=[^,]*host;");
    SdkHttpRequest withoutHost =
        signed.toBuilder()
            .putHeader(
                "Authorization", authorization.replaceFirst("(SignedHeaders=[^,]*)host;", "$1"))
            .build();
    assertAwsError(
        http.send(withoutHost, "GET", ""),
        "InvalidSignatureException",
        "'Host' must be a signed header.");
  }

  @Test
  void anUnsignedPayloadIsRefused() throws Exception {
    SignedHttp http = quarry.http();
    SdkHttpRequest signed = http.sign("GET", "/model-invocation-jobs", "", Clock.systemUTC());
    SdkHttpRequest unsigned =
        signed.toBuilder().putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD").build();
    assertAwsError(http.send(unsigned, "GET", ""), "InvalidSignatureException", "UNSIGNED-PAYLOAD");
  }

  @Test
  void theHealthCheckNeedsNoSignature() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(quarry.plane().endpoint() + "/_quarry/health"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  private static BedrockClient client(String accessKey, String secretKey) {
    return quarry.unretriedClient(accessKey, secretKey);
  }

  private static void assertAwsError(Runnable call, String code, String messageStart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              assertThat(e.awsErrorDetails().errorMessage()).startsWith(messageStart);
            });
  }

  private static void assertAwsError(
      HttpResponse<String> response, String code, String messageStart) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue(code);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()).path("__type").asText()).isEqualTo(code);
    assertThat(message(response)).startsWith(messageStart);
  }

  private static String message(HttpResponse<String> response) throws Exception {
    JsonNode body = JSON.readTree(response.body());
    return body.path("message").asText();
  }
}
