package dev.quarry.controlplane.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few calls of Flink's REST API that launching needs, over the JDK's HTTP client. */
final class FlinkRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  FlinkRestClient(URI base) {
    this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
  }

  URI base() {
    return base;
  }

  /** {@code GET path}; a 404 is returned as {@code null}. */
  JsonNode get(String path) throws IOException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
  }

  /** {@code POST path} with a JSON body. */
  JsonNode post(String path, JsonNode body) throws IOException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
        path);
  }

  private JsonNode send(HttpRequest.Builder request, String path) throws IOException {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              request.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted calling Flink at " + base + path, e);
    }
    if (response.statusCode() == 404) {
      return null;
    }
    JsonNode body =
        response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    if (response.statusCode() >= 300) {
      throw new IOException(
          "Flink answered "
              + response.statusCode()
              + " to "
              + path
              + ": "
              + body.path("errors").toString());
    }
    return body;
  }

  static ObjectMapper json() {
    return JSON;
  }
}
