package dev.quarry.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Reads requests and writes responses in Bedrock's REST-JSON conventions. */
final class RestJsonIo {
  static final ObjectMapper JSON = new ObjectMapper();

  private RestJsonIo() {}

  /**
   * The JSON object body; an empty body reads as {@code {}} so missing members are reported by
   * name.
   */
  static JsonNode jsonBody(byte[] bytes) {
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.validation("Request body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.validation("Request body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.validation("Request body must be a JSON object");
    }
    return node;
  }

  /**
   * Query parameters from the raw query, percent-decoded; the last value of a repeated name wins.
   */
  static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
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
        params.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.validation(
            "Query parameter '" + name + "' is not correctly percent-encoded");
      }
    }
    return params;
  }

  static void sendJson(
      Response response, int status, JsonNode body, String requestId, Callback callback) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      callback.failed(e);
      return;
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put("x-amzn-RequestId", requestId);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** The AWS error shape: status, {@code x-amzn-ErrorType}, and {@code {"__type","message"}}. */
  static void sendError(
      Response response, ApiException error, String requestId, Callback callback) {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", error.errorType());
    body.put("message", error.getMessage());
    response.getHeaders().put("x-amzn-ErrorType", error.errorType());
    sendJson(response, error.status(), body, requestId, callback);
  }
}
