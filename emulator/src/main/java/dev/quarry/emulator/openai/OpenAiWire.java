package dev.quarry.emulator.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.quarry.emulator.family.Completion;
import dev.quarry.emulator.server.Reply;
import dev.quarry.emulator.server.WireDialect;
import dev.quarry.emulator.wire.ErrorShape;
import dev.quarry.emulator.wire.RequestIds;
import dev.quarry.emulator.wire.ServiceError;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's wire: errors as {@code {"error":{"message","type","param","code"}}} with OpenAI's
 * statuses and wording (429 {@code rate_limit_exceeded}, 500 and 503 {@code server_error}, 400
 * {@code invalid_request_error}), usage in the body, and an {@code x-request-id} header. An
 * emulated model timeout answers 504, a model error 500.
 */
public final class OpenAiWire implements WireDialect {
  /** The one instance. */
  public static final OpenAiWire INSTANCE = new OpenAiWire();

  /** The body member an error's {@code param} comes from. */
  static final String PARAM = "param";

  private static final JsonFactory JSON = new JsonFactory();

  private OpenAiWire() {}

  @Override
  public Reply error(ServiceError error) {
    ErrorShape shape = error.shape();
    HttpResponseStatus status;
    String type;
    String code = null;
    String message = error.getMessage();
    switch (shape) {
      case THROTTLING -> {
        status = HttpResponseStatus.TOO_MANY_REQUESTS;
        type = "requests";
        code = "rate_limit_exceeded";
        message = "Rate limit reached for requests: please try again later.";
      }
      case INTERNAL_SERVER, MODEL_ERROR -> {
        status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
        type = "server_error";
        message = "The server had an error while processing your request. Sorry about that!";
      }
      case SERVICE_UNAVAILABLE -> {
        status = HttpResponseStatus.SERVICE_UNAVAILABLE;
        type = "server_error";
        message = "The engine is currently overloaded, please try again later.";
      }
      case MODEL_TIMEOUT -> {
        status = HttpResponseStatus.GATEWAY_TIMEOUT;
        type = "server_error";
        code = "timeout";
        message = "The model timed out while processing your request.";
      }
      case UNKNOWN_OPERATION, RESOURCE_NOT_FOUND -> {
        status = HttpResponseStatus.NOT_FOUND;
        type = "invalid_request_error";
      }
      case ACCESS_DENIED,
          MISSING_AUTHENTICATION_TOKEN,
          INCOMPLETE_SIGNATURE,
          INVALID_SIGNATURE,
          UNRECOGNIZED_CLIENT -> {
        status = HttpResponseStatus.UNAUTHORIZED;
        type = "invalid_request_error";
        code = "invalid_api_key";
      }
      default -> {
        status = HttpResponseStatus.BAD_REQUEST;
        type = "invalid_request_error";
      }
    }
    Object param = error.extraMembers().get(PARAM);
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("message", message);
      g.writeStringField("type", type);
      if (param == null) {
        g.writeNullField("param");
      } else {
        g.writeStringField("param", param.toString());
      }
      if (code == null) {
        g.writeNullField("code");
      } else {
        g.writeStringField("code", code);
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Reply.json(status, out.toByteArray(), List.of(Map.entry("x-request-id", requestId())));
  }

  @Override
  public Reply ok(byte[] body, Completion completion) {
    return Reply.json(
        HttpResponseStatus.OK,
        body,
        List.of(
            Map.entry("x-request-id", requestId()),
            Map.entry("openai-processing-ms", Long.toString(completion.latencyMillis()))));
  }

  /** A 400 {@code invalid_request_error} naming the request member at fault. */
  static ServiceError invalid(String param, String message) {
    return new ServiceError(
        ErrorShape.VALIDATION, message, param == null ? Map.of() : Map.of(PARAM, param));
  }

  private static String requestId() {
    return RequestIds.newBase62Id("req_", 32);
  }
}
