package dev.quarry.controlplane.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook on loopback (the JDK's HTTP server) that answers each request as its {@code
 * policy} says for that request's number (1 for the first), records everything it was sent, and
 * checks each signature with its own HMAC code.
 */
final class WebhookReceiver implements AutoCloseable {
  /** What the receiver does with one request. */
  sealed interface Answer permits Status, Hang {}

  /** Answers with this HTTP status. */
  record Status(int code) implements Answer {}

  /** Answers 200 only after this long (longer than the sender waits: a timeout). */
  record Hang(Duration delay) implements Answer {}

  static final Answer OK = new Status(200);

  /**
   * One request as it arrived: its number, whether the receiver acknowledged it, its headers and
   * body, and whether its signature was right.
   */
  record Delivery(
      int number,
      boolean acknowledged,
      String eventId,
      long timestamp,
      String signature,
      boolean signatureValid,
      String body,
      Instant receivedAt) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String jobArn() {
      return json().path("detail").path("batchJobArn").asText();
    }

    String status() {
      return json().path("detail").path("status").asText();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final byte[] secret;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Delivery> deliveries = new ArrayList<>();
  private volatile IntFunction<Answer> policy;

  WebhookReceiver(String secret, IntFunction<Answer> policy) throws IOException {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.policy = policy;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hooks/quarry", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/quarry?token=t0ken");
  }

  void answer(IntFunction<Answer> policy) {
    this.policy = policy;
  }

  private void handle(HttpExchange exchange) throws IOException {
    int number = requests.incrementAndGet();
    byte[] body = exchange.getRequestBody().readAllBytes();
    String signature = exchange.getRequestHeaders().getFirst("Quarry-Signature");
    String timestamp = exchange.getRequestHeaders().getFirst("Quarry-Timestamp");
    boolean post = "POST".equals(exchange.getRequestMethod());
    boolean json = "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
    boolean valid =
        post
            && json
            && signature != null
            && timestamp != null
            && signature.equals(
                "v1=" + hmac(timestamp + "." + new String(body, StandardCharsets.UTF_8)));
    Answer answer = policy.apply(number);
    boolean acknowledged = answer instanceof Status status && status.code() / 100 == 2;
    // Recorded on arrival, before any hang: the order here is the order the sender sent in.
    synchronized (deliveries) {
      deliveries.add(
          new Delivery(
              number,
              acknowledged,
              exchange.getRequestHeaders().getFirst("Quarry-Event-Id"),
              timestamp == null ? -1 : Long.parseLong(timestamp),
              signature,
              valid,
              new String(body, StandardCharsets.UTF_8),
              Instant.now()));
    }
    int code = 200;
    if (answer instanceof Status status) {
      code = status.code();
    } else if (answer instanceof Hang hang) {
      try {
        Thread.sleep(hang.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      exchange.sendResponseHeaders(code, -1);
    } catch (IOException e) {
      // the sender gave up waiting (the hang): nothing to answer
    }
    exchange.close();
  }

  private String hmac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every request so far, in arrival order. */
  List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  /** The acknowledged requests' statuses per job ARN, in arrival order. */
  Map<String, List<String>> acknowledgedStatuses() {
    return deliveries().stream()
        .filter(Delivery::acknowledged)
        .collect(
            Collectors.groupingBy(
                Delivery::jobArn,
                LinkedHashMap::new,
                Collectors.mapping(Delivery::status, Collectors.toList())));
  }

  /** Waits until {@code done} holds of the requests so far; fails after {@code timeout}. */
  void await(java.util.function.Predicate<List<Delivery>> done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.test(deliveries())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "Webhook did not get " + what + " in " + timeout + "; got " + deliveries());
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
