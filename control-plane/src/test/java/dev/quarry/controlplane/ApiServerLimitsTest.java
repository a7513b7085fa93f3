package dev.quarry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/**
 * The API bounds what one client costs it: clients that stall mid-request or send expensive input
 * do not keep others from being answered, and whatever the server refuses is still the AWS error
 * shape.
 */
class ApiServerLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADVERSARIAL_NAME = "a" + "-".repeat(61) + "!";
  private static final long BODY_TIMEOUT_MS = 4_000;
  private static final long IDLE_TIMEOUT_MS = 6_000;
  @TempDir static Path dataDir;
  static ControlPlaneFixture quarry;

  @BeforeAll
  static void start() throws Exception {
    quarry =
        new ControlPlaneFixture(
            dataDir,
            Map.of(
                "quarry.api.body-timeout-ms",
                Long.toString(BODY_TIMEOUT_MS),
                "quarry.api.idle-timeout-ms",
                Long.toString(IDLE_TIMEOUT_MS),
                "quarry.api.max-body-bytes",
                "65536"));
  }

  @AfterAll
  static void stop() {
    quarry.close();
  }

  @Test
  void sixtyFourStalledConnectionsDoNotKeepAnSdkCallWaiting() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    // warm: the SDK's first call in a JVM loads classes for a second or more on a busy machine
    quarry.bedrock().listModelInvocationJobs(b -> b.maxResults(1));
    try {
      for (int i = 0; i < 64; i++) {
        Socket s = connect();
        String half =
            i % 2 == 0
                ? "GET /model-invocation-jobs?maxResults=1 HTTP/1.1\r\nHost: x\r\nX-Half: "
                : "POST /tagResource HTTP/1.1\r\n"
                    + signedHeaders("POST", "/tagResource", "{\"resou" + "x".repeat(93))
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"resou";
        s.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        stalled.add(s);
      }
      long start = System.nanoTime();
      assertThat(
              quarry
                  .bedrock()
                  .listModelInvocationJobs(b -> b.maxResults(5))
                  .invocationJobSummaries())
          .isEmpty();
      assertThatThrownBy(
              () -> quarry.bedrock().getModelInvocationJob(b -> b.jobIdentifier("abcdefabcdef")))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThat(millisSince(start))
          .as("two SDK calls next to 64 stalled connections")
          .isLessThan(BODY_TIMEOUT_MS);
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  @Test
  void adversarialNamePatternsAreAnsweredAndDoNotStallOthers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Throwable>> nasty = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 8; i++) {
        nasty.add(
            pool.submit(
                () -> {
                  try {
                    quarry.bedrock().listModelInvocationJobs(b -> b.nameContains(ADVERSARIAL_NAME));
                    return null;
                  } catch (Throwable t) {
                    return t;
                  }
                }));
      }
      assertThat(
              quarry
                  .bedrock()
                  .listModelInvocationJobs(b -> b.maxResults(1))
                  .invocationJobSummaries())
          .isEmpty();
      for (Future<Throwable> f : nasty) {
        assertThat(f.get(10, TimeUnit.SECONDS))
            .isInstanceOf(ValidationException.class)
            .hasMessageContaining("nameContains")
            .hasMessageContaining("[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}");
      }
      assertThat(millisSince(start)).as("8 adversarial Lists and a normal one").isLessThan(5_000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBodyThatStopsArrivingIsAnsweredWithin408() throws Exception {
    try (Socket s = connect()) {
      // signed (for the whole body it announces), so the server reads the body before checking the
      // signature
      s.getOutputStream()
          .write(
              ("POST /model-invocation-job HTTP/1.1\r\n"
                      + signedHeaders(
                          "POST", "/model-invocation-job", "{\"jobName\":" + " ".repeat(489))
                      + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"jobName\":")
                  .getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      String response = readResponse(s, 10_000);
      assertThat(millisSince(start)).isBetween(BODY_TIMEOUT_MS - 200, BODY_TIMEOUT_MS + 3_000);
      assertAwsError(response, 408, "did not arrive within");
    }
  }

  @Test
  void aConnectionSilentInItsHeadersIsClosed() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream()
          .write(
              "GET /model-invocation-jobs HTTP/1.1\r\nHost: x\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      s.setSoTimeout(15_000);
      InputStream in = s.getInputStream();
      byte[] rest = in.readAllBytes();
      assertThat(millisSince(start))
          .as("closed after the idle timeout")
          .isBetween(IDLE_TIMEOUT_MS - 200, IDLE_TIMEOUT_MS + 5_000);
      String text = new String(rest, StandardCharsets.UTF_8);
      assertThat(text).doesNotContain("<html");
    }
  }

  @Test
  void anOversizedBodyIs413InTheAwsShape() throws Exception {
    String big = "{\"jobName\":\"" + "x".repeat(70_000) + "\"}";
    String signed = signedHeaders("POST", "/model-invocation-job", big);
    assertAwsError(
        raw(
            "POST /model-invocation-job HTTP/1.1\r\n"
                + signed
                + "Content-Type: application/json\r\n"
                + "Content-Length: "
                + big.length()
                + "\r\nConnection: close\r\n\r\n"
                + big),
        413,
        "larger than 65536 bytes");
    // without a declared length, the limit applies while reading
    String chunk = Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
    assertAwsError(
        raw(
            "POST /model-invocation-job HTTP/1.1\r\n"
                + signed
                + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + chunk),
        413,
        "larger than 65536 bytes");
  }

  @Test
  void requestsJettyCannotParseStillGetTheAwsShape() throws Exception {
    // Jetty refuses a malformed escape while parsing the request line, before any handler runs
    assertAwsError(
        raw("GET /model-invocation-job/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        "Malformed request");
    assertAwsError(
        raw("GET /model-invocation-job/%ZZbad HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        "");
    assertAwsError(raw("NOT A REQUEST LINE\r\n\r\n"), 400, "Malformed request");
    assertAwsError(
        raw(
            "GET /model-invocation-jobs HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "y".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"),
        431,
        "Malformed request");
  }

  private static void assertAwsError(String response, int status, String messagePart)
      throws Exception {
    assertThat(response).startsWith("HTTP/1.1 " + status);
    String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
    assertThat(head)
        .contains(
            "content-type: application/json",
            "x-amzn-errortype: validationexception",
            "x-amzn-requestid: ");
    JsonNode body = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    assertThat(body.path("__type").asText()).isEqualTo("ValidationException");
    assertThat(body.path("message").asText()).isNotBlank().contains(messagePart);
  }

  /**
   * Host, date and authorization header lines of a request signed with the fixture's key, for raw
   * requests that must pass the header checks (which come before the body is read).
   */
  private static String signedHeaders(String method, String path, String body) {
    SdkHttpRequest signed = quarry.http().sign(method, path, body, java.time.Clock.systemUTC());
    StringBuilder out =
        new StringBuilder("Host: " + quarry.plane().endpoint().getAuthority() + "\r\n");
    signed
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> out.append(name).append(": ").append(v).append("\r\n"));
              }
            });
    return out.toString();
  }

  private static String raw(String request) throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return readResponse(s, 10_000);
    }
  }

  /** One response: the head, then Content-Length bytes of body. */
  private static String readResponse(Socket s, int timeoutMillis) throws Exception {
    s.setSoTimeout(timeoutMillis);
    InputStream in = s.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int contentLength = -1;
    try {
      int b;
      while ((b = in.read()) >= 0) {
        out.write(b);
        String text = out.toString(StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
          if (contentLength < 0) {
            var m =
                java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                    .matcher(text.substring(0, headEnd));
            contentLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
          }
          if (out.size() >= headEnd + 4 + contentLength) {
            break;
          }
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no complete response within " + timeoutMillis + " ms; got: " + out, e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Socket connect() throws Exception {
    URI endpoint = quarry.plane().endpoint();
    return new Socket(endpoint.getHost(), endpoint.getPort());
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
