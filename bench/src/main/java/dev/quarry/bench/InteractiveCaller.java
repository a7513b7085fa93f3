package dev.quarry.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An interactive client of a model, beside the batch jobs: calls InvokeModel at a steady rate,
 * straight at the emulator, and counts how many of its calls were answered 429.
 */
final class InteractiveCaller implements AutoCloseable {
  private static final String BODY =
      "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":16,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"interactive\"}]}";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-interactive");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();

  /** Starts calling {@code modelId} at {@code perSecond}. */
  InteractiveCaller(URI emulator, String modelId, double perSecond) {
    URI uri = emulator.resolve("/model/" + modelId + "/invoke");
    timer.scheduleAtFixedRate(
        () -> {
          HttpRequest request =
              HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(BODY))
                  .build();
          CompletableFuture<HttpResponse<Void>> sent =
              http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
          sent.thenAccept(
              r -> {
                calls.incrementAndGet();
                if (r.statusCode() == 429) {
                  throttled.incrementAndGet();
                }
              });
        },
        0,
        (long) (1e9 / perSecond),
        TimeUnit.NANOSECONDS);
  }

  long calls() {
    return calls.get();
  }

  long throttled() {
    return throttled.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
