package dev.quarry.emulator.server;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Where a request goes, from its method and raw (still percent-encoded) path. The model id is cut
 * out of the raw path before decoding, so an ARN's encoded {@code %2F} cannot be mistaken for a
 * path separator.
 *
 * @param kind the endpoint
 * @param rawModelId the still-encoded model id for model operations, else null
 * @param query the raw query string, or "" if none
 */
public record Route(Kind kind, String rawModelId, String query) {

  /** The endpoints the emulator serves. */
  public enum Kind {
    INVOKE,
    CONVERSE,
    UNSUPPORTED_STREAMING,
    CHAT_COMPLETIONS,
    EMBEDDINGS,
    OPENAI_UNKNOWN,
    STATS,
    RESET,
    CONFIGURE,
    HEALTH,
    UNKNOWN
  }

  private static final String MODEL_PREFIX = "/model/";
  private static final String ADMIN_PREFIX = "/_emulator/";
  private static final String OPENAI_PREFIX = "/v1/";

  /** Routes one request line. */
  public static Route of(HttpMethod method, String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    if (path.startsWith(MODEL_PREFIX)) {
      int lastSlash = path.lastIndexOf('/');
      if (lastSlash > MODEL_PREFIX.length()) {
        String operation = path.substring(lastSlash + 1);
        String model = path.substring(MODEL_PREFIX.length(), lastSlash);
        boolean post = HttpMethod.POST.equals(method);
        switch (operation) {
          case "invoke":
            return new Route(post ? Kind.INVOKE : Kind.UNKNOWN, model, query);
          case "converse":
            return new Route(post ? Kind.CONVERSE : Kind.UNKNOWN, model, query);
          case "invoke-with-response-stream":
          case "converse-stream":
            return new Route(post ? Kind.UNSUPPORTED_STREAMING : Kind.UNKNOWN, model, query);
          default:
            break;
        }
      }
      return new Route(Kind.UNKNOWN, null, query);
    }
    if (path.startsWith(OPENAI_PREFIX)) {
      boolean post = HttpMethod.POST.equals(method);
      if (post && path.equals("/v1/chat/completions")) {
        return new Route(Kind.CHAT_COMPLETIONS, null, query);
      }
      if (post && path.equals("/v1/embeddings")) {
        return new Route(Kind.EMBEDDINGS, null, query);
      }
      return new Route(Kind.OPENAI_UNKNOWN, null, query);
    }
    if (path.startsWith(ADMIN_PREFIX)) {
      String name = path.substring(ADMIN_PREFIX.length());
      if (name.equals("stats") && HttpMethod.GET.equals(method)) {
        return new Route(Kind.STATS, null, query);
      }
      if (name.equals("reset") && HttpMethod.POST.equals(method)) {
        return new Route(Kind.RESET, null, query);
      }
      if (name.equals("config")
          && (HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method))) {
        return new Route(Kind.CONFIGURE, null, query);
      }
      if (name.equals("health") && HttpMethod.GET.equals(method)) {
        return new Route(Kind.HEALTH, null, query);
      }
    }
    return new Route(Kind.UNKNOWN, null, query);
  }

  /** True when the query string has {@code name=true} (or a bare {@code name}). */
  public boolean queryFlag(String name) {
    for (String pair : query.split("&")) {
      if (pair.equals(name) || pair.equalsIgnoreCase(name + "=true") || pair.equals(name + "=1")) {
        return true;
      }
    }
    return false;
  }
}
