package dev.quarry.controlplane.metrics;

import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.cost.PriceTable;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.JobStoreException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the status store's totals in Prometheus' text format (version 0.0.4),
 * mounted before the API's signature check. Scrapers authenticate as {@link ScrapeAccess} says.
 */
public final class MetricsHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsHandler.class);

  /** Where the metrics are served. */
  public static final String PATH = "/metrics";

  /** The mount prefix that covers {@link #PATH}. */
  public static final String PREFIX = PATH + "/";

  private final ScrapeAccess access;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /** Serves the totals of {@code store}, the tokens priced by {@code prices}. */
  public MetricsHandler(ControlPlaneConfig.Metrics settings, JobStore store, PriceTable prices) {
    this.access = new ScrapeAccess(settings);
    registry.register(new StoreCollector(store, prices));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    if (!PATH.equals(path) && !PREFIX.equals(path)) {
      send(response, 404, "Not found: metrics are at " + PATH, callback);
      return true;
    }
    if (!"GET".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      send(response, 405, "Metrics are read with GET", callback);
      return true;
    }
    Optional<ScrapeAccess.Refusal> refusal =
        access.refusal(peer(request), request.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (refusal.isPresent()) {
      if (refusal.get().status() == 401) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"quarry-metrics\"");
      }
      send(response, refusal.get().status(), refusal.get().message(), callback);
      return true;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
    try {
      writer.write(body, registry.scrape());
    } catch (JobStoreException e) {
      LOG.warn("Metrics scrape failed: {}", e.getMessage());
      send(response, 503, "The status store cannot be read now", callback);
      return true;
    } catch (IOException e) {
      callback.failed(e);
      return true;
    }
    byte[] bytes = body.toByteArray();
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, writer.getContentType());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  /** The address at the other end of the TCP connection (null if it is not an IP one). */
  private static InetAddress peer(Request request) {
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  private static void send(Response response, int status, String message, Callback callback) {
    byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
