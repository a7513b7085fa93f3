package dev.quarry.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads requests and writes responses in Bedrock's REST-JSON conventions. */
final class HttpExchangeIo {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Create requests are small; anything larger is refused before it is buffered. */
  static final int MAX_BODY_BYTES = 1 << 20;

  private HttpExchangeIo() {}

  /** The JSON object body; an empty body reads as {@code {}} so missing members are reported by name. */
  static JsonNode jsonBody(HttpExchange exchange) throws IOException {
    byte[] bytes = readBody(exchange.getRequestBody());
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.validation("Request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.validation("Request body must be a JSON object");
    }
    return node;
  }

  private static byte[] readBody(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      if (out.size() > MAX_BODY_BYTES) {
        throw ApiException.validation("Request body is larger than " + MAX_BODY_BYTES + " bytes");
      }
    }
    return out.toByteArray();
  }

  /** Query parameters, percent-decoded; the last value of a repeated name wins. */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.validation("Query parameter '" + name + "' is not correctly percent-encoded");
      }
    }
    return params;
  }

  static void sendJson(HttpExchange exchange, int status, JsonNode body, String requestId) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The AWS error shape: status, {@code x-amzn-ErrorType}, and {@code {"__type","message"}}. */
  static void sendError(HttpExchange exchange, ApiException error, String requestId) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", error.errorType());
    body.put("message", error.getMessage());
    exchange.getResponseHeaders().set("x-amzn-ErrorType", error.errorType());
    sendJson(exchange, error.status(), body, requestId);
  }
}
