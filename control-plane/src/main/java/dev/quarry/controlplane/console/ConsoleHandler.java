package dev.quarry.controlplane.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.api.AccountJobs;
import dev.quarry.controlplane.api.ApiException;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.cost.PriceTable;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyStore;
import dev.quarry.controlplane.store.JobPage;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.job.io.OutputNaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /console/}: its static pages, and the small JSON API they call under
 * {@code /console/api/}. It authenticates with a session cookie instead of a signature; every JSON
 * call must come from the console's own origin ({@link SameOrigin}), and every job operation goes
 * through {@link AccountJobs}, so a session sees and may do exactly what its key may through the
 * API.
 */
public final class ConsoleHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the console is served. */
  public static final String PREFIX = "/console/";

  static final String COOKIE = "quarry_console";
  static final int MAX_BODY_BYTES = 1 << 20;
  static final long BODY_TIMEOUT_MILLIS = 10_000;
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final Sessions sessions;
  private final AccountJobs jobs;
  private final JobStore store;
  private final PriceTable prices;
  private final ProgressSamples samples = new ProgressSamples();
  private final ConsoleJobView views;
  private final StaticAssets assets = new StaticAssets();
  private final ErrorSamples errors;
  private final Optional<URI> flinkWebUi;
  private final long sampleIntervalMillis;
  private ProgressSampler sampler;

  /**
   * The console for the keys in {@code keys}, with the API's job operations {@code jobs}, linking
   * to jobs in {@code flinkWebUi} where there is one.
   */
  public ConsoleHandler(
      ControlPlaneConfig.Console settings,
      KeyStore keys,
      Clock clock,
      AccountJobs jobs,
      JobStore store,
      PriceTable prices,
      Optional<URI> flinkWebUi) {
    this.sessions = new Sessions(keys, clock, Duration.ofMinutes(settings.sessionMinutes()));
    this.jobs = jobs;
    this.store = store;
    this.prices = prices;
    this.views = new ConsoleJobView(prices, samples);
    this.sampleIntervalMillis = settings.sampleIntervalMillis();
    this.errors = new ErrorSamples(settings.errorScanBytes());
    this.flinkWebUi = flinkWebUi;
  }

  @Override
  protected void doStart() throws Exception {
    sampler = new ProgressSampler(store, samples, sampleIntervalMillis);
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    if (sampler != null) {
      sampler.close();
    }
    super.doStop();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    if (!path.startsWith(PREFIX)) {
      Response.sendRedirect(request, response, callback, PREFIX);
      return true;
    }
    String rest = path.substring(PREFIX.length());
    if (!rest.startsWith("api/")) {
      serveAsset(rest, request, response, callback);
      return true;
    }
    if (!SameOrigin.allows(request)) {
      sendError(
          response,
          new ApiException(
              403,
              "AccessDeniedException",
              "The console's API answers only the console's own pages (cross-origin request refused)"),
          callback);
      return true;
    }
    readBody(request)
        .whenCompleteAsync(
            (body, failure) -> {
              try {
                if (failure != null) {
                  throw new ApiException(
                      400,
                      "ValidationException",
                      "Request body could not be read within "
                          + BODY_TIMEOUT_MILLIS
                          + " ms and "
                          + MAX_BODY_BYTES
                          + " bytes");
                }
                api(rest.substring("api/".length()), body, request, response, callback);
              } catch (ApiException e) {
                sendError(response, e, callback);
              } catch (Exception e) {
                LOG.error("Console request {} {} failed", request.getMethod(), path, e);
                sendError(response, ApiException.internal("Internal error"), callback);
              }
            },
            getServer().getThreadPool());
    return true;
  }

  private static CompletableFuture<byte[]> readBody(Request request) {
    if (request.getLength() > MAX_BODY_BYTES) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("too large"));
    }
    return Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES)
        .orTimeout(BODY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void api(String route, byte[] body, Request request, Response response, Callback callback)
      throws IOException {
    String method = request.getMethod();
    if (route.equals("session")) {
      session(method, body, request, response, callback);
      return;
    }
    AccessKey key =
        sessions
            .keyOf(sessionId(request))
            .orElseThrow(
                () ->
                    new ApiException(
                        401,
                        "UnrecognizedClientException",
                        "Not signed in, or the session has ended: sign in again"));
    List<String> parts = List.of(route.split("/", -1));
    if (route.equals("jobs") && method.equals("GET")) {
      sendJson(
          response, 200, list(key, RestQuery.parse(request.getHttpURI().getQuery())), callback);
    } else if (route.equals("jobs") && method.equals("POST")) {
      sendJson(response, 200, jobs.create(key, json(body)), callback);
    } else if (parts.size() == 2 && parts.get(0).equals("jobs") && method.equals("GET")) {
      sendJson(response, 200, job(key, decode(parts.get(1))), callback);
    } else if (parts.size() == 3
        && parts.get(0).equals("jobs")
        && parts.get(2).equals("stop")
        && method.equals("POST")) {
      jobs.stop(key, decode(parts.get(1)));
      sendJson(response, 200, JSON.createObjectNode(), callback);
    } else if (parts.size() >= 4
        && parts.get(0).equals("jobs")
        && parts.get(2).equals("files")
        && method.equals("GET")) {
      String name = decode(String.join("/", parts.subList(3, parts.size())));
      download(key, decode(parts.get(1)), name, response, callback);
    } else {
      throw new ApiException(
          404, "UnknownOperationException", "The console has no " + method + " " + route);
    }
  }

  /** Sign in (POST), who is signed in (GET), sign out (DELETE). */
  private void session(
      String method, byte[] body, Request request, Response response, Callback callback) {
    switch (method) {
      case "POST" -> {
        JsonNode in = json(body);
        Session session =
            sessions
                .signIn(text(in, "accessKey"), text(in, "secretKey"))
                .orElseThrow(
                    () ->
                        new ApiException(
                            401,
                            "UnrecognizedClientException",
                            "The access key or secret key is wrong"));
        Response.addCookie(
            response,
            HttpCookie.build(COOKIE, session.id())
                .path(PREFIX)
                .httpOnly(true)
                .sameSite(HttpCookie.SameSite.STRICT)
                .maxAge(sessions.ttl().toSeconds())
                .build());
        sendJson(response, 200, me(sessions.keyOf(session.id()).orElseThrow()), callback);
      }
      case "GET" ->
          sendJson(
              response,
              200,
              me(
                  sessions
                      .keyOf(sessionId(request))
                      .orElseThrow(
                          () ->
                              new ApiException(
                                  401, "UnrecognizedClientException", "Not signed in"))),
              callback);
      case "DELETE" -> {
        sessions.signOut(sessionId(request));
        Response.addCookie(
            response,
            HttpCookie.build(COOKIE, "")
                .path(PREFIX)
                .httpOnly(true)
                .sameSite(HttpCookie.SameSite.STRICT)
                .maxAge(0)
                .build());
        sendJson(response, 200, JSON.createObjectNode(), callback);
      }
      default ->
          throw new ApiException(
              405, "UnknownOperationException", "The console has no " + method + " session");
    }
  }

  private ObjectNode me(AccessKey key) {
    ObjectNode o = JSON.createObjectNode();
    o.put("accessKey", key.accessKey());
    o.put("account", key.account());
    o.put("pricesAsOf", prices.asOf());
    return o;
  }

  private ObjectNode list(AccessKey key, Map<String, String> query) {
    JobPage page = jobs.list(key, query);
    ObjectNode o = JSON.createObjectNode();
    ArrayNode list = o.putArray("jobs");
    page.jobs().forEach(job -> list.add(views.of(job)));
    if (page.nextToken() != null) {
      o.put("nextToken", page.nextToken());
    }
    return o;
  }

  private ObjectNode job(AccessKey key, String jobId) {
    JobRecord job = jobs.job(key, jobId);
    ObjectNode o = JSON.createObjectNode();
    o.set("job", views.of(job));
    ArrayNode chart = o.putArray("samples");
    samples
        .of(job.jobId())
        .forEach(s -> chart.addArray().add(s.atMillis()).add(s.processed()).add(s.throttled()));
    String folder = OutputFiles.folderOf(outputUri(job), job.jobId());
    o.put("outputFolder", folder);
    boolean readable = key.dataAccess().output().allows(folder);
    o.put("downloadAllowed", readable);
    flinkLink(job).ifPresent(link -> o.put("flinkJobUrl", link));
    try {
      ArrayNode files = o.putArray("files");
      List<OutputFiles.OutputFile> listed = OutputFiles.list(folder);
      listed.forEach(f -> files.addObject().put("name", f.name()).put("bytes", f.bytes()));
      try {
        o.set(
            "errors", errorsView(errors.of(job.jobId(), listed, f -> OutputFiles.read(folder, f))));
      } catch (IOException | RuntimeException e) {
        LOG.warn("Reading the error lines of job {} at {} failed", job.jobId(), folder, e);
        o.put(
            "errorsError",
            "The output files could not be read (" + e.getClass().getSimpleName() + ")");
      }
      if (listed.stream().anyMatch(f -> f.name().equals(OutputNaming.MANIFEST_NAME))) {
        Optional<OutputFiles.Opened> manifest =
            OutputFiles.open(folder, OutputNaming.MANIFEST_NAME);
        if (manifest.isPresent()) {
          try (InputStream in = manifest.get().content()) {
            o.set("manifest", JSON.readTree(in.readNBytes(64 * 1024)));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the S3 client's text can quote others' data: say only where and what kind
      LOG.warn("Listing the output of job {} at {} failed", job.jobId(), folder, e);
      o.remove("files");
      o.put(
          "filesError",
          "The output folder "
              + folder
              + " could not be listed ("
              + e.getClass().getSimpleName()
              + ")");
    }
    return o;
  }

  /** The job's page in Flink's web UI (running and finished jobs have different routes). */
  private Optional<String> flinkLink(JobRecord job) {
    if (flinkWebUi.isEmpty() || job.flinkJobId() == null) {
      return Optional.empty();
    }
    String base = flinkWebUi.get().toString().replaceAll("/+$", "");
    String route = ProgressSampler.RUNNING.contains(job.status()) ? "running" : "completed";
    return Optional.of(base + "/#/job/" + route + "/" + job.flinkJobId() + "/overview");
  }

  private static ObjectNode errorsView(ErrorSamples.Summary summary) {
    ObjectNode o = JSON.createObjectNode();
    o.put("scannedBytes", summary.scannedBytes());
    o.put("totalBytes", summary.totalBytes());
    o.put("complete", summary.complete());
    ArrayNode codes = o.putArray("codes");
    for (ErrorSamples.CodeGroup group : summary.codes()) {
      ObjectNode g = codes.addObject().put("code", group.code()).put("count", group.count());
      ArrayNode examples = g.putArray("examples");
      group
          .examples()
          .forEach(
              e ->
                  examples
                      .addObject()
                      .put("file", e.file())
                      .put("recordId", e.recordId())
                      .put("message", e.message()));
    }
    return o;
  }

  /**
   * Streams one output file through the control plane, if the key may use the job's output folder.
   */
  private void download(
      AccessKey key, String jobId, String name, Response response, Callback callback)
      throws IOException {
    JobRecord job = jobs.job(key, jobId);
    String folder = OutputFiles.folderOf(outputUri(job), job.jobId());
    if (!key.dataAccess().output().allows(folder)) {
      throw ApiException.accessDenied(
          "Access key "
              + key.accessKey()
              + " may not use "
              + folder
              + " (not under its allow-output list)");
    }
    OutputFiles.Opened opened =
        OutputFiles.open(folder, name)
            .orElseThrow(
                () -> ApiException.notFound("Job " + job.jobId() + " has no output file " + name));
    String fileName = name.substring(name.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, opened.file().bytes());
    response.getHeaders().put("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    try (InputStream in = opened.content();
        OutputStream out = Content.Sink.asOutputStream(response)) {
      in.transferTo(out);
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
    }
  }

  private static String outputUri(JobRecord job) {
    try {
      return JSON.readTree(job.outputConfigJson())
          .path("s3OutputDataConfig")
          .path("s3Uri")
          .asText();
    } catch (IOException e) {
      throw new IllegalStateException("Stored outputDataConfig is corrupt", e);
    }
  }

  private void serveAsset(String rest, Request request, Response response, Callback callback) {
    Optional<StaticAssets.Asset> asset = assets.find(rest);
    if (asset.isEmpty()
        || !(request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))) {
      Response.writeError(request, response, callback, 404);
      return;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.get().contentType());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    securityHeaders(response);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.get().bytes().length);
    response.write(
        true,
        request.getMethod().equals("HEAD")
            ? ByteBuffer.allocate(0)
            : ByteBuffer.wrap(asset.get().bytes()),
        callback);
  }

  private static void securityHeaders(Response response) {
    response.getHeaders().put("Content-Security-Policy", CSP);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("X-Frame-Options", "DENY");
    response.getHeaders().put("Referrer-Policy", "same-origin");
  }

  private static String sessionId(Request request) {
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(COOKIE)) {
        return cookie.getValue();
      }
    }
    return null;
  }

  private static JsonNode json(byte[] body) {
    try {
      JsonNode node = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw ApiException.validation("The request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw ApiException.validation("The request body is not valid JSON");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void sendJson(Response response, int status, JsonNode body, Callback callback) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      callback.failed(e);
      return;
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    securityHeaders(response);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** The API's error shape, so the pages show the API's own messages. */
  private static void sendError(Response response, ApiException error, Callback callback) {
    if (response.isCommitted()) {
      callback.failed(error);
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", error.errorType());
    body.put("message", error.getMessage());
    sendJson(response, error.status(), body, callback);
  }

  /** Query parameters, percent-decoded; the last of a repeated name wins. */
  static final class RestQuery {
    private RestQuery() {}

    static Map<String, String> parse(String raw) {
      Map<String, String> out = new HashMap<>();
      if (raw == null || raw.isEmpty()) {
        return out;
      }
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (!value.isEmpty()) {
          out.put(name, value);
        }
      }
      return out;
    }
  }
}
