package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireProtocolTest extends EmulatorFixture {

  @Test
  void unknownPathsAnswer404InTheAwsErrorShape() {
    HttpResponse<String> response =
        RawHttp.post(emulator.endpoint(), "/model-invocation-job", "application/json", "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
    assertThat(response.headers().firstValue("x-amzn-RequestId")).get().asString().hasSize(36);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(Json.parse(response.body()).get("__type").asText())
        .isEqualTo("UnknownOperationException");
    assertThat(Json.parse(response.body()).get("message").asText())
        .contains("/model-invocation-job");
  }

  @Test
  void streamingOperationsAndWrongMethodsAreUnknown() {
    assertThat(
            RawHttp.post(
                    emulator.endpoint(),
                    "/model/" + CLAUDE + "/invoke-with-response-stream",
                    "application/json",
                    claudeBody("x"))
                .statusCode())
        .isEqualTo(404);
    assertThat(RawHttp.get(emulator.endpoint(), "/model/" + CLAUDE + "/invoke").statusCode())
        .isEqualTo(404);
  }

  @Test
  void contentTypeMustBeJson() {
    HttpResponse<String> response =
        RawHttp.post(
            emulator.endpoint(), "/model/" + CLAUDE + "/invoke", "text/plain", claudeBody("x"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
    assertThat(response.body()).contains("Content-Type");
    assertThat(
            RawHttp.post(
                    emulator.endpoint(),
                    "/model/" + CLAUDE + "/invoke",
                    "application/json; charset=utf-8",
                    claudeBody("x"))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void errorBodiesCarryTypeAndMessage() {
    HttpResponse<String> response =
        RawHttp.post(
            emulator.endpoint(),
            "/model/" + CLAUDE + "/invoke",
            "application/json",
            claudeBody("[[emulator:fail=424]]"));

    assertThat(response.statusCode()).isEqualTo(424);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ModelErrorException");
    var body = Json.parse(response.body());
    assertThat(body.get("__type").asText()).isEqualTo("ModelErrorException");
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(body.get("originalStatusCode").asInt()).isEqualTo(500);
    assertThat(body.get("resourceName").asText()).isEqualTo(CLAUDE);
  }

  @Test
  void healthEndpointAnswers() {
    assertThat(RawHttp.get(emulator.endpoint(), "/_emulator/health").body()).contains("ok");
  }

  @Test
  void pipelinedResponsesComeBackInRequestOrderOnOneKeepAliveConnection() throws Exception {
    // The first request is slow, the second fast: the fast answer must still wait for the slow one.
    emulator.configure(
        EmulatorConfig.builder()
            .model(
                CLAUDE,
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofMillis(300)))
                    .build())
            .build());
    String slow = claudeBody("slow first");
    String fast = "{\"prompt\":\"fast second\"}";

    try (Socket socket = new Socket(emulator.endpoint().getHost(), emulator.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (rawRequest("/model/" + CLAUDE + "/invoke", slow)
                  + rawRequest("/model/" + LLAMA + "/invoke", fast))
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        bodies.add(readResponseBody(in));
      }
      assertThat(bodies.get(0)).contains("slow first");
      assertThat(bodies.get(1)).contains("fast second");
    }
  }

  @Test
  void bodiesAboveTheInvokeModelLimitAreRejectedInTheAwsShape() throws Exception {
    try (Socket socket = new Socket(emulator.endpoint().getHost(), emulator.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /model/"
                  + CLAUDE
                  + "/invoke HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/json\r\nContent-Length: 25000001\r\n\r\n{")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(response).startsWith("HTTP/1.1 400 Bad Request");
      assertThat(response).contains("x-amzn-ErrorType: ValidationException");
      assertThat(response).contains("larger than the maximum of 25000000 bytes");
    }
  }

  private static String rawRequest(String path, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Authorization: AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/bedrock/aws4_request\r\n"
        + "Content-Length: "
        + bytes.length
        + "\r\n\r\n"
        + body;
  }

  private static String readResponseBody(BufferedReader in) throws Exception {
    String status = in.readLine();
    assertThat(status).isEqualTo("HTTP/1.1 200 OK");
    int length = -1;
    for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    char[] body = new char[length];
    int read = 0;
    while (read < length) {
      read += in.read(body, read, length - read);
    }
    return new String(body);
  }
}
