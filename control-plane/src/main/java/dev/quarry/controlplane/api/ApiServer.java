package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.config.ControlPlaneConfig.HttpLimits;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyStore;
import dev.quarry.controlplane.lifecycle.JobCommands;
import dev.quarry.controlplane.routes.ModelCatalog;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.job.model.InvokeModelFamilies;
import dev.quarry.sigv4.SigV4Authorization;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bedrock control-plane REST-JSON API (spec §1–2) on Jetty, with every cost of a client bounded
 * ({@link HttpLimits}): headers are parsed and bodies read without holding a thread, so clients
 * that stall mid-request cost a connection (capped, closed when silent) but never starve the
 * others.
 *
 * <p>Every request but the health check must carry a valid AWS Signature Version 4 ({@link
 * RequestSignatures}), checked before the operation is even looked up, as AWS does. The signing
 * key's account scopes everything the request sees ({@link Caller}), and each account's requests
 * are rate limited ({@link AccountRequestRate}).
 *
 * <p>Every failure leaves as the AWS error shape; anything unexpected is logged and answered as
 * {@code InternalServerException} without internals, but input can only ever cause a 4xx.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final HttpLimits limits;
  private final JobOperations jobs;
  private final TagOperations tags;
  private final AccountJobs accountJobs;
  private final RequestSignatures signatures;
  private final KeyStore keys;
  private final AccountRequestRate accountRate;
  private final List<Mount> mounts = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Serves {@code api} for requests signed by {@code keys}, with {@code clock} deciding signature
   * expiry and refilling each account's request budget.
   */
  public ApiServer(
      ControlPlaneConfig.Api api,
      KeyStore keys,
      Clock clock,
      JobStore store,
      JobCommands lifecycle,
      InvokeModelFamilies families,
      ModelCatalog routes) {
    String host = api.host();
    int port = api.port();
    HttpLimits limits = api.http();
    this.limits = limits;
    this.signatures = new RequestSignatures(api.region(), keys, clock);
    this.keys = keys;
    this.accountRate =
        new AccountRequestRate(
            api.accounts().requestsPerSecond(), api.accounts().requestBurst(), clock);
    this.jobs =
        new JobOperations(
            store,
            lifecycle,
            families,
            routes,
            new DataAccessCheck(api.bucketOwners()),
            api.accounts().maxQueuedJobs());
    this.tags = new TagOperations(store);
    this.accountJobs = new AccountJobs(jobs, store, accountRate);
    QueuedThreadPool threads =
        new QueuedThreadPool(limits.maxThreads(), Math.min(4, limits.maxThreads()));
    threads.setName("quarry-api");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Paths are split on the raw text and decoded segment by segment (PathSegments), so an encoded
    // "/" in a job ARN is a character of a label, not a separator Jetty should refuse.
    http.setUriCompliance(UriCompliance.UNSAFE);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeoutMillis());
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    server.setErrorHandler(new AwsErrorHandler());
    server.setHandler(new ApiHandler());
  }

  public ApiServer start() throws Exception {
    server.start();
    return this;
  }

  /**
   * Serves every path under {@code prefix} (which ends with "/"; the bare prefix redirects to it)
   * with {@code handler}, before and instead of the signature check: {@code handler} authenticates
   * its own requests (the console's session cookie). Call before {@link #start}.
   */
  public ApiServer mount(String prefix, Handler handler) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.equals("/")) {
      throw new IllegalArgumentException("a mount prefix is /<name>/, was " + prefix);
    }
    server.addBean(handler);
    handler.setServer(server);
    mounts.add(new Mount(prefix, handler));
    return this;
  }

  /** The job operations with the API's own checks, for {@link #mount mounted} handlers. */
  public AccountJobs accountJobs() {
    return accountJobs;
  }

  /** A handler serving a path prefix of its own. */
  private record Mount(String prefix, Handler handler) {
    boolean covers(String rawPath) {
      return rawPath != null
          && (rawPath.startsWith(prefix)
              || rawPath.equals(prefix.substring(0, prefix.length() - 1)));
    }
  }

  /** The bound endpoint, e.g. {@code http://127.0.0.1:8090}. */
  public URI endpoint() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    return URI.create("http://" + host + ":" + connector.getLocalPort());
  }

  /** An operation bound to its path labels, waiting for its body. */
  private record Route(List<String> params, boolean hasBody, Operation operation) {}

  @FunctionalInterface
  private interface Operation {
    JsonNode apply(ApiRequest request) throws Exception;
  }

  private final class ApiHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String requestId = UUID.randomUUID().toString();
      String method = request.getMethod();
      String rawPath = request.getHttpURI().getPath();
      for (Mount mount : mounts) {
        if (mount.covers(rawPath)) {
          return mount.handler().handle(request, response, callback);
        }
      }
      try {
        String raw = rawPath == null ? "/" : rawPath;
        List<String> path = PathSegments.of(raw);
        Map<String, String> query = RestJsonIo.query(request.getHttpURI().getQuery());
        if (isHealthCheck(method, path)) {
          // unsigned, for load balancers and orchestrators; it tells nothing about jobs
          RestJsonIo.sendJson(
              response,
              200,
              RestJsonIo.JSON.createObjectNode().put("status", "ok"),
              requestId,
              callback);
          return true;
        }
        // What the headers alone refuse is refused before the body is read: a client without a
        // valid
        // key cannot hold a connection open with a slow body, nor make the server buffer one.
        signatures.verifyHeaders(request);
        // The signature covers the body, so the request is then read whole before anything else.
        readBody(request)
            .whenCompleteAsync(
                (bytes, failure) -> {
                  if (failure != null) {
                    fail(unwrap(failure), request, response, callback, requestId);
                    return;
                  }
                  try {
                    Caller caller = caller(signatures.verify(request, bytes));
                    accountRate.acquire(caller.account());
                    Route route = route(method, path, raw);
                    JsonNode body =
                        route.hasBody()
                            ? RestJsonIo.jsonBody(bytes)
                            : RestJsonIo.JSON.createObjectNode();
                    answer(
                        route,
                        new ApiRequest(caller, route.params(), query, body),
                        response,
                        callback,
                        requestId);
                  } catch (Exception e) {
                    fail(e, request, response, callback, requestId);
                  }
                },
                server.getThreadPool());
      } catch (Exception e) {
        fail(e, request, response, callback, requestId);
      }
      return true;
    }

    /** The whole body, without holding a thread while it arrives; bounded in size and in time. */
    private CompletableFuture<byte[]> readBody(Request request) {
      long declared = request.getLength();
      if (declared > limits.maxBodyBytes()) {
        return CompletableFuture.failedFuture(tooLarge());
      }
      CompletableFuture<byte[]> body =
          Content.Source.asByteArrayAsync(request, limits.maxBodyBytes());
      CompletableFuture<byte[]> bounded =
          body.orTimeout(limits.bodyTimeoutMillis(), TimeUnit.MILLISECONDS);
      bounded.whenComplete(
          (bytes, failure) -> {
            if (failure != null) {
              // stop reading: whatever else arrives on this connection is discarded with it
              request.fail(failure);
            }
          });
      return bounded.handle(
          (bytes, failure) -> {
            if (failure == null) {
              return bytes;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof TimeoutException) {
              throw new ApiException(
                  408,
                  "ValidationException",
                  "Request body did not arrive within " + limits.bodyTimeoutMillis() + " ms");
            }
            if (Request.getContentBytesRead(request) > limits.maxBodyBytes()
                || cause instanceof IllegalArgumentException) {
              throw tooLarge();
            }
            throw new ApiException(400, "ValidationException", "Request body could not be read");
          });
    }

    private ApiException tooLarge() {
      return new ApiException(
          413,
          "ValidationException",
          "Request body is larger than " + limits.maxBodyBytes() + " bytes");
    }

    private void answer(
        Route route, ApiRequest apiRequest, Response response, Callback callback, String requestId)
        throws Exception {
      JsonNode out = route.operation().apply(apiRequest);
      RestJsonIo.sendJson(response, 200, out, requestId, callback);
    }

    /** The signer as a caller; a key revoked since the signature was checked is unknown now. */
    private Caller caller(SigV4Authorization authorization) {
      AccessKey key =
          keys.find(authorization.accessKeyId())
              .orElseThrow(
                  () ->
                      new ApiException(
                          403,
                          "UnrecognizedClientException",
                          "The security token included in the request is invalid."));
      return new Caller(key.accessKey(), key.account(), key.dataAccess());
    }

    private void fail(
        Throwable e, Request request, Response response, Callback callback, String requestId) {
      if (response.isCommitted()) {
        callback.failed(e);
        return;
      }
      ApiException error;
      if (e instanceof ApiException api) {
        error = api;
      } else {
        LOG.error(
            "Request {} {} failed (request id {})",
            request.getMethod(),
            request.getHttpURI().getPath(),
            requestId,
            e);
        error = ApiException.internal("Internal error; request id " + requestId);
      }
      if (error.status() == 408 || error.status() == 413) {
        // the rest of the body is not read, so the connection cannot carry another request
        response
            .getHeaders()
            .put(new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
      }
      RestJsonIo.sendError(response, error, requestId, callback);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isHealthCheck(String method, List<String> path) {
    return method.equals("GET")
        && path.size() == 2
        && path.get(0).equals("_quarry")
        && path.get(1).equals("health");
  }

  private Route route(String method, List<String> path, String rawPath) {
    if (path.size() == 1 && path.get(0).equals("model-invocation-job") && method.equals("POST")) {
      return new Route(List.of(), true, jobs::create);
    }
    if (path.size() == 2 && path.get(0).equals("model-invocation-job") && method.equals("GET")) {
      return new Route(path.subList(1, 2), false, jobs::get);
    }
    if (path.size() == 3
        && path.get(0).equals("model-invocation-job")
        && path.get(2).equals("stop")
        && method.equals("POST")) {
      return new Route(path.subList(1, 2), false, jobs::stop);
    }
    if (path.size() == 1 && path.get(0).equals("model-invocation-jobs") && method.equals("GET")) {
      return new Route(List.of(), false, jobs::list);
    }
    if (path.size() == 1 && method.equals("POST")) {
      switch (path.get(0)) {
        case "tagResource":
          return new Route(List.of(), true, tags::tag);
        case "untagResource":
          return new Route(List.of(), true, tags::untag);
        case "listTagsForResource":
          return new Route(List.of(), true, tags::list);
        default:
          break;
      }
    }
    throw ApiException.unknownOperation(method, rawPath);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("Stopping the API server failed", e);
    }
  }
}
