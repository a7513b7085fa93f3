package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.api.AccountJobs;
import dev.quarry.controlplane.api.ApiException;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyStore;
import dev.quarry.controlplane.store.JdbcOpenAiStore;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.OpenAiFileRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI's Batch API under {@code /v1/}: {@code /v1/files} and {@code /v1/batches}, authenticated
 * with {@code Authorization: Bearer <api key>} (each access key's {@link
 * dev.quarry.controlplane.keys.ApiKeys API key}), scoped to that key's account and charged to its
 * request rate like the Bedrock API. Every failure is answered in OpenAI's error shape.
 *
 * <p>Bodies are read without holding a thread: a batch's JSON within the API's body limits, an
 * upload (multipart) within {@code quarry.openai.max-file-bytes} and {@code upload-timeout-ms},
 * parts beyond 64 KiB spilled to a folder of the data directory and streamed to S3 from there.
 */
public final class OpenAiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the API is served. */
  public static final String PREFIX = "/v1/";

  private static final int MEMORY_PART_BYTES = 1 << 16;
  private static final int FORM_OVERHEAD_BYTES = 1 << 20;

  private final KeyStore keys;
  private final AccountJobs accountJobs;
  private final FileOperations files;
  private final BatchOperations batches;
  private final BatchTracker tracker;
  private final ControlPlaneConfig.HttpLimits limits;
  private final ControlPlaneConfig.OpenAi settings;
  private final Path uploads;

  /**
   * @param clock decides creation times and the batch layer's times (tests pass their own)
   */
  public OpenAiHandler(
      ControlPlaneConfig config,
      KeyStore keys,
      Clock clock,
      AccountJobs accountJobs,
      JobStore jobStore,
      JdbcOpenAiStore store) {
    this.keys = keys;
    this.accountJobs = accountJobs;
    this.limits = config.api().http();
    this.settings = config.openai();
    this.uploads = config.dataDir().resolve("tmp").resolve("uploads");
    BatchFiles batchFiles = new BatchFiles(settings.filesUri());
    this.tracker =
        new BatchTracker(
            store,
            jobStore,
            accountJobs,
            keys,
            batchFiles,
            config.routes(),
            settings.maxRequestsPerBatch(),
            (int) Math.min(Integer.MAX_VALUE, config.job().maxRecordBytes()),
            clock,
            config.lifecycle().pollIntervalMillis());
    this.files = new FileOperations(store, batchFiles, clock);
    this.batches = new BatchOperations(store, jobStore, accountJobs, batchFiles, tracker, clock);
  }

  @Override
  protected void doStart() throws Exception {
    Files.createDirectories(uploads);
    tracker.start();
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    tracker.close();
    super.doStop();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
    response.getHeaders().put("x-request-id", requestId);
    try {
      String path = request.getHttpURI().getPath();
      List<String> parts =
          path.length() <= PREFIX.length()
              ? List.of()
              : Arrays.asList(path.substring(PREFIX.length()).split("/", -1));
      AccessKey key = authenticate(request);
      try {
        accountJobs.acquireRequest(key);
      } catch (ApiException e) {
        throw OpenAiException.of(e);
      }
      route(request.getMethod(), parts, key, request, response, callback);
    } catch (Exception e) {
      fail(e, request, response, callback);
    }
    return true;
  }

  private void route(
      String method,
      List<String> parts,
      AccessKey key,
      Request request,
      Response response,
      Callback callback)
      throws IOException {
    Map<String, String> query = query(request.getHttpURI().getQuery());
    String resource = parts.isEmpty() ? "" : parts.get(0);
    int size = parts.size();
    if (resource.equals("files") && size == 1 && method.equals("POST")) {
      upload(key, request, response, callback);
    } else if (resource.equals("files") && size == 1 && method.equals("GET")) {
      send(response, files.list(key, query), callback);
    } else if (resource.equals("files") && size == 2 && method.equals("GET")) {
      send(response, files.get(key, parts.get(1)), callback);
    } else if (resource.equals("files") && size == 2 && method.equals("DELETE")) {
      send(response, files.delete(key, parts.get(1)), callback);
    } else if (resource.equals("files")
        && size == 3
        && parts.get(2).equals("content")
        && method.equals("GET")) {
      content(files.find(key, parts.get(1)), response, callback);
    } else if (resource.equals("batches") && size == 1 && method.equals("POST")) {
      readJson(request)
          .whenCompleteAsync(
              (body, failure) -> {
                try {
                  if (failure != null) {
                    throw failure;
                  }
                  send(response, batches.create(key, body), callback);
                } catch (Throwable e) {
                  fail(e, request, response, callback);
                }
              },
              getServer().getThreadPool());
    } else if (resource.equals("batches") && size == 1 && method.equals("GET")) {
      send(response, batches.list(key, query), callback);
    } else if (resource.equals("batches") && size == 2 && method.equals("GET")) {
      send(response, batches.get(key, parts.get(1)), callback);
    } else if (resource.equals("batches")
        && size == 3
        && parts.get(2).equals("cancel")
        && method.equals("POST")) {
      send(response, batches.cancel(key, parts.get(1)), callback);
    } else {
      throw OpenAiException.notFound(
          "Invalid URL (" + method + " " + request.getHttpURI().getPath() + ")", null);
    }
  }

  /** The key a bearer token is the API key of; a 401 in OpenAI's words otherwise. */
  private AccessKey authenticate(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      throw new OpenAiException(
          401,
          OpenAiException.INVALID_REQUEST,
          "You didn't provide an API key. You need to provide your API key in an Authorization"
              + " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). Quarry prints"
              + " each access key's API key (scripts/quarry keys create, scripts/quarry serve).",
          null,
          null);
    }
    String token =
        header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    return keys.findByApiKey(token)
        .orElseThrow(
            () ->
                new OpenAiException(
                    401,
                    OpenAiException.INVALID_REQUEST,
                    "Incorrect API key provided. Quarry's API keys are printed by scripts/quarry"
                        + " keys create and scripts/quarry serve (api-key).",
                    null,
                    "invalid_api_key"));
  }

  /** {@code POST /v1/files}: a multipart form with a {@code file} part and a {@code purpose}. */
  private void upload(AccessKey key, Request request, Response response, Callback callback) {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw OpenAiException.invalid(
          "Upload a file as multipart/form-data with the parts 'file' and 'purpose'.",
          "file",
          null);
    }
    long maxLength = settings.maxFileBytes() + FORM_OVERHEAD_BYTES;
    if (request.getLength() > maxLength) {
      throw tooLarge();
    }
    MultiPartFormData.Parser parser =
        new MultiPartFormData.Parser(MultiPart.extractBoundary(contentType));
    parser.setFilesDirectory(uploads);
    parser.setMaxMemoryFileSize(MEMORY_PART_BYTES);
    parser.setMaxFileSize(settings.maxFileBytes());
    parser.setMaxLength(maxLength);
    parser.setMaxParts(16);
    CompletableFuture<MultiPartFormData.Parts> parsed =
        parser.parse(request).orTimeout(settings.uploadTimeoutMillis(), TimeUnit.MILLISECONDS);
    parsed.whenCompleteAsync(
        (form, failure) -> {
          if (failure != null) {
            request.fail(failure); // what else arrives is not read
            fail(uploadFailure(request, failure), request, response, callback);
            return;
          }
          try (form) {
            MultiPart.Part file = form.getFirst("file");
            MultiPart.Part purpose = form.getFirst("purpose");
            if (file == null) {
              throw OpenAiException.missing("file");
            }
            String filename = file.getFileName() == null ? "file" : file.getFileName();
            ObjectNode created;
            try (InputStream in = Content.Source.asInputStream(file.createContentSource())) {
              created =
                  files.upload(
                      key,
                      filename,
                      purpose == null ? null : purpose.getContentAsString(StandardCharsets.UTF_8),
                      in);
            } finally {
              for (MultiPart.Part part : form) {
                part.delete();
              }
            }
            send(response, created, callback);
          } catch (Exception e) {
            fail(e, request, response, callback);
          }
        },
        getServer().getThreadPool());
  }

  private OpenAiException uploadFailure(Request request, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof TimeoutException) {
      return new OpenAiException(
          408,
          OpenAiException.INVALID_REQUEST,
          "The upload did not arrive within " + settings.uploadTimeoutMillis() + " ms",
          "file",
          null);
    }
    if (Request.getContentBytesRead(request) > settings.maxFileBytes()
        || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("max")) {
      return tooLarge();
    }
    return OpenAiException.invalid(
        "The multipart/form-data body could not be read: " + cause.getClass().getSimpleName(),
        "file",
        null);
  }

  private OpenAiException tooLarge() {
    return new OpenAiException(
        413,
        OpenAiException.INVALID_REQUEST,
        "File is too large: the limit is "
            + settings.maxFileBytes()
            + " bytes (quarry.openai.max-file-bytes).",
        "file",
        "file_too_large");
  }

  /** A JSON object body, read without holding a thread; {@code {}} when empty. */
  private CompletableFuture<JsonNode> readJson(Request request) {
    if (request.getLength() > limits.maxBodyBytes()) {
      return CompletableFuture.failedFuture(
          new OpenAiException(
              413,
              OpenAiException.INVALID_REQUEST,
              "The request body is larger than " + limits.maxBodyBytes() + " bytes.",
              null,
              null));
    }
    return Content.Source.asByteArrayAsync(request, limits.maxBodyBytes())
        .orTimeout(limits.bodyTimeoutMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (bytes, failure) -> {
              if (failure != null) {
                request.fail(failure);
                throw new CompletionException(
                    new OpenAiException(
                        unwrap(failure) instanceof TimeoutException ? 408 : 400,
                        OpenAiException.INVALID_REQUEST,
                        "The request body could not be read within "
                            + limits.bodyTimeoutMillis()
                            + " ms and "
                            + limits.maxBodyBytes()
                            + " bytes.",
                        null,
                        null));
              }
              JsonNode body;
              try {
                body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
              } catch (IOException e) {
                body = null;
              }
              if (body == null || !body.isObject()) {
                throw new CompletionException(
                    OpenAiException.invalid(
                        "We could not parse the JSON body of your request: the API expects a"
                            + " JSON object.",
                        null,
                        null));
              }
              return body;
            });
  }

  /** Streams a file's content, as OpenAI's {@code /content} does. */
  private static void content(OpenAiFileRecord file, Response response, Callback callback) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.bytes());
    response
        .getHeaders()
        .put(
            "Content-Disposition",
            "attachment; filename=\"" + file.filename().replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      BatchFiles.copy(file.s3Uri(), out);
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Streaming file {} from {} failed", file.fileId(), file.s3Uri(), e);
      callback.failed(e);
    }
  }

  private static void send(Response response, JsonNode body, Callback callback) {
    send(response, 200, body, callback);
  }

  private static void send(Response response, int status, JsonNode body, Callback callback) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      callback.failed(e);
      return;
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  private void fail(Throwable failure, Request request, Response response, Callback callback) {
    Throwable e = unwrap(failure);
    if (response.isCommitted()) {
      callback.failed(e);
      return;
    }
    OpenAiException error;
    if (e instanceof OpenAiException openAi) {
      error = openAi;
    } else if (e instanceof ApiException api) {
      error = OpenAiException.of(api);
    } else {
      LOG.error(
          "OpenAI API request {} {} failed",
          request.getMethod(),
          request.getHttpURI().getPath(),
          e);
      error =
          new OpenAiException(
              500,
              "server_error",
              "The server had an error while processing your request.",
              null,
              null);
    }
    if (error.status() == 408 || error.status() == 413) {
      // the rest of the body is not read, so the connection cannot carry another request
      response
          .getHeaders()
          .put(new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
    }
    if (error.status() >= 400 && error.status() < 500 && error.status() != 429) {
      // OpenAI's SDKs retry 408 and 409 unless told not to; the same request would fail again
      response.getHeaders().put("x-should-retry", "false");
    }
    ObjectNode body = JSON.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("message", error.getMessage());
    inner.put("type", error.type());
    if (error.param() == null) {
      inner.putNull("param");
    } else {
      inner.put("param", error.param());
    }
    if (error.code() == null) {
      inner.putNull("code");
    } else {
      inner.put("code", error.code());
    }
    send(response, error.status(), body, callback);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Query parameters, percent-decoded; the last of a repeated name wins. */
  private static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        params.put(
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw OpenAiException.invalid(
            "A query parameter is not correctly percent-encoded.", null, null);
      }
    }
    return params;
  }
}
