package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.controlplane.lifecycle.JobLifecycle;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.job.model.InvokeModelFamilies;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bedrock control-plane REST-JSON API (spec §1–2) on the JDK's HTTP server: a handful of
 * low-traffic operations need no framework.
 *
 * <p>Every failure leaves as the AWS error shape; anything unexpected is logged and answered as
 * {@code InternalServerException} without internals, but input can only ever cause a 4xx.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final JobOperations jobs;
  private final TagOperations tags;

  public ApiServer(String host, int port, JobStore store, JobLifecycle lifecycle, InvokeModelFamilies families)
      throws IOException {
    this.jobs = new JobOperations(store, lifecycle, families);
    this.tags = new TagOperations(store);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    this.executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "quarry-api");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  public ApiServer start() {
    server.start();
    return this;
  }

  /** The bound endpoint, e.g. {@code http://127.0.0.1:8090}. */
  public URI endpoint() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString();
    try (exchange) {
      try {
        JsonNode response = route(exchange);
        HttpExchangeIo.sendJson(exchange, 200, response, requestId);
      } catch (ApiException e) {
        HttpExchangeIo.sendError(exchange, e, requestId);
      } catch (Exception e) {
        LOG.error("Request {} {} failed (request id {})", exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(), requestId, e);
        HttpExchangeIo.sendError(exchange, ApiException.internal(
            "Internal error; request id " + requestId), requestId);
      }
    }
  }

  private JsonNode route(HttpExchange exchange) throws Exception {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    List<String> path = PathSegments.of(rawPath);
    Map<String, String> query = HttpExchangeIo.query(exchange);
    if (path.size() == 1 && path.get(0).equals("model-invocation-job") && method.equals("POST")) {
      return jobs.create(request(List.of(), query, exchange, true));
    }
    if (path.size() == 2 && path.get(0).equals("model-invocation-job") && method.equals("GET")) {
      return jobs.get(request(path.subList(1, 2), query, exchange, false));
    }
    if (path.size() == 3 && path.get(0).equals("model-invocation-job") && path.get(2).equals("stop")
        && method.equals("POST")) {
      return jobs.stop(request(path.subList(1, 2), query, exchange, false));
    }
    if (path.size() == 1 && path.get(0).equals("model-invocation-jobs") && method.equals("GET")) {
      return jobs.list(request(List.of(), query, exchange, false));
    }
    if (path.size() == 1 && method.equals("POST")) {
      switch (path.get(0)) {
        case "tagResource":
          return tags.tag(request(List.of(), query, exchange, true));
        case "untagResource":
          return tags.untag(request(List.of(), query, exchange, true));
        case "listTagsForResource":
          return tags.list(request(List.of(), query, exchange, true));
        default:
          break;
      }
    }
    if (path.size() == 2 && path.get(0).equals("_quarry") && path.get(1).equals("health")) {
      return HttpExchangeIo.JSON.createObjectNode().put("status", "ok");
    }
    throw ApiException.unknownOperation(method, rawPath);
  }

  private static ApiRequest request(List<String> params, Map<String, String> query, HttpExchange exchange,
      boolean hasBody) throws IOException {
    JsonNode body = hasBody ? HttpExchangeIo.jsonBody(exchange) : HttpExchangeIo.JSON.createObjectNode();
    return new ApiRequest(params, query, body);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
