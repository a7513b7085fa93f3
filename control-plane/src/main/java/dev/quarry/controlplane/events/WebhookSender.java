package dev.quarry.controlplane.events;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * POSTs one signed event to one webhook and says whether it was acknowledged (any 2xx answer).
 * Redirects are not followed: the signature was made for this URL.
 */
final class WebhookSender {
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  WebhookSender(Duration timeout, Clock clock) {
    this.timeout = timeout;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  DeliveryOutcome send(URI webhook, String eventId, String body, byte[] secret)
      throws InterruptedException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(webhook)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Quarry-Events/1")
            .header(WebhookSignature.EVENT_ID_HEADER, eventId)
            .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(
                WebhookSignature.SIGNATURE_HEADER,
                WebhookSignature.header(secret, timestamp, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status / 100 == 2
          ? DeliveryOutcome.ACKNOWLEDGED
          : DeliveryOutcome.failed("HTTP " + status);
    } catch (HttpConnectTimeoutException e) {
      return DeliveryOutcome.failed("no connection within " + timeout.toMillis() + " ms");
    } catch (HttpTimeoutException e) {
      return DeliveryOutcome.failed("no answer within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      return DeliveryOutcome.failed("connection refused");
    } catch (IOException e) {
      return DeliveryOutcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
