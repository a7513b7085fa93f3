package dev.quarry.emulator.server;

import dev.quarry.emulator.openai.OpenAiWire;
import dev.quarry.emulator.wire.ErrorShape;
import dev.quarry.emulator.wire.ServiceError;
import dev.quarry.sigv4.SecretKeys;
import dev.quarry.sigv4.SigV4Exception;
import dev.quarry.sigv4.SigV4Verifier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request to the endpoint its route names, and turns any unexpected failure into a 500.
 */
public final class RequestDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

  /** The signing name Bedrock Runtime requests are scoped to. */
  private static final String BEDROCK = "bedrock";

  private final EmulatorState state;
  private final InvocationProcessor invocations;
  private final OpenAiProcessor openAi;
  private final AdminEndpoints admin;

  public RequestDispatcher(EmulatorState state) {
    this.state = state;
    this.invocations = new InvocationProcessor(state);
    this.openAi = new OpenAiProcessor(state, invocations);
    this.admin = new AdminEndpoints(state);
  }

  /** The reply to {@code request}; never throws. */
  public Reply dispatch(FullHttpRequest request) {
    try {
      Route route = Route.of(request.method(), request.uri());
      switch (route.kind()) {
        case INVOKE:
        case CONVERSE:
          {
            byte[] body = bytes(request.content());
            authenticate(request, body);
            return invocations.invoke(
                route.kind() == Route.Kind.CONVERSE,
                route.rawModelId(),
                request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                body);
          }
        case UNSUPPORTED_STREAMING:
          authenticate(request, bytes(request.content()));
          return invocations.unsupportedStreaming(route.rawModelId());
        case CHAT_COMPLETIONS:
          return openAi.chatCompletions(bytes(request.content()));
        case EMBEDDINGS:
          return openAi.embeddings(bytes(request.content()));
        case OPENAI_UNKNOWN:
          return OpenAiWire.INSTANCE.error(
              new ServiceError(
                  ErrorShape.UNKNOWN_OPERATION,
                  "Invalid URL (" + request.method() + " " + pathOf(request.uri()) + ")"));
        case STATS:
          return admin.stats(route);
        case RESET:
          return admin.reset();
        case CONFIGURE:
          return admin.configure(bytes(request.content()));
        case HEALTH:
          return admin.health();
        default:
          return Reply.error(
              new ServiceError(
                  ErrorShape.UNKNOWN_OPERATION,
                  "No operation matches " + request.method() + " " + pathOf(request.uri())));
      }
    } catch (ServiceError e) {
      return Reply.error(e);
    } catch (RuntimeException e) {
      LOG.warn("Unexpected failure answering {} {}", request.method(), request.uri(), e);
      return Reply.error(
          new ServiceError(ErrorShape.INTERNAL_SERVER, "The emulator failed unexpectedly: " + e));
    }
  }

  // As on AWS, authentication comes before the service looks at the request, so a rejected request
  // is not counted.
  private void authenticate(FullHttpRequest request, byte[] body) {
    Map<String, String> credentials = state.live().config().credentials();
    if (credentials.isEmpty()) {
      return;
    }
    // A test stand-in: any region, no clock-skew check, and UNSIGNED-PAYLOAD as AWS's signer may
    // send it.
    SigV4Verifier verifier =
        new SigV4Verifier(BEDROCK, null, SecretKeys.of(credentials), null, true);
    try {
      verifier.verify(
          request.method().name(),
          request.uri(),
          name -> request.headers().getAll(name),
          body,
          Instant.now());
    } catch (SigV4Exception e) {
      throw new ServiceError(shapeOf(e.errorCode()), e.getMessage());
    }
  }

  private static ErrorShape shapeOf(String errorCode) {
    for (ErrorShape shape : ErrorShape.values()) {
      if (shape.shapeName().equals(errorCode)) {
        return shape;
      }
    }
    throw new IllegalStateException("No error shape for " + errorCode);
  }

  private static byte[] bytes(ByteBuf content) {
    return ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), false);
  }

  private static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }
}
