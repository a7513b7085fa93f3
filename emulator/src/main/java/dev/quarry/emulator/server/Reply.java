package dev.quarry.emulator.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.quarry.emulator.wire.BedrockHeaders;
import dev.quarry.emulator.wire.RequestIds;
import dev.quarry.emulator.wire.ServiceError;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What to send back for one request, decided before anything is written: a status, headers and a
 * JSON body, or "close the connection"; and how long to wait first. Bodies are plain byte arrays so
 * a reply that is never sent (its connection died during the delay) holds no pooled buffer that
 * could leak.
 */
public final class Reply {
  private static final JsonFactory JSON = new JsonFactory();

  private final HttpResponseStatus status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final boolean dropConnection;
  private final long delayMillis;

  private Reply(
      HttpResponseStatus status,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      boolean dropConnection,
      long delayMillis) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.dropConnection = dropConnection;
    this.delayMillis = delayMillis;
  }

  /** A 200 JSON reply with a fresh request id and the given extra headers. */
  public static Reply ok(byte[] jsonBody, List<Map.Entry<String, String>> extraHeaders) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(extraHeaders.size() + 2);
    headers.add(Map.entry(BedrockHeaders.REQUEST_ID, RequestIds.newRequestId()));
    headers.addAll(extraHeaders);
    return new Reply(
        HttpResponseStatus.OK, Collections.unmodifiableList(headers), jsonBody, false, 0);
  }

  /**
   * A JSON reply with exactly the given status and headers (another API's wire, such as OpenAI's).
   */
  public static Reply json(
      HttpResponseStatus status, byte[] jsonBody, List<Map.Entry<String, String>> headers) {
    return new Reply(status, List.copyOf(headers), jsonBody, false, 0);
  }

  /** A 200 JSON reply for admin endpoints. */
  public static Reply ok(String jsonBody) {
    return ok(jsonBody.getBytes(StandardCharsets.UTF_8), List.of());
  }

  /**
   * The AWS error shape of spec §2: status, {@code x-amzn-ErrorType}, and {@code
   * {"__type","message",…}}.
   */
  public static Reply error(ServiceError error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("__type", error.shape().shapeName());
      g.writeStringField("message", error.getMessage());
      for (Map.Entry<String, Object> member : error.extraMembers().entrySet()) {
        g.writeFieldName(member.getKey());
        Object value = member.getValue();
        if (value instanceof Number n) {
          g.writeNumber(n.longValue());
        } else {
          g.writeString(String.valueOf(value));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Map.Entry<String, String>> headers =
        List.of(
            Map.entry(BedrockHeaders.REQUEST_ID, RequestIds.newRequestId()),
            Map.entry(BedrockHeaders.ERROR_TYPE, error.shape().shapeName()));
    return new Reply(error.shape().status(), headers, out.toByteArray(), false, 0);
  }

  /** Close the TCP connection without answering. */
  public static Reply dropConnection() {
    return new Reply(null, List.of(), null, true, 0);
  }

  /** The same reply, sent after {@code millis}. */
  public Reply delayedBy(long millis) {
    return new Reply(status, headers, body, dropConnection, Math.max(0, millis));
  }

  public HttpResponseStatus status() {
    return status;
  }

  /** Headers besides Content-Type, Content-Length and Connection, which the writer sets. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  public byte[] body() {
    return body;
  }

  public boolean dropsConnection() {
    return dropConnection;
  }

  public long delayMillis() {
    return delayMillis;
  }
}
