package dev.quarry.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP calls for what the SDK cannot send (raw paths, wrong content types, admin endpoints).
 */
final class RawHttp {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private RawHttp() {}

  static HttpResponse<String> post(URI endpoint, String rawPath, String contentType, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.resolve(rawPath))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.build());
  }

  static HttpResponse<String> get(URI endpoint, String rawPath) {
    return send(
        HttpRequest.newBuilder(endpoint.resolve(rawPath))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build());
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
