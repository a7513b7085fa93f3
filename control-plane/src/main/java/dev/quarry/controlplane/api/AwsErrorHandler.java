package dev.quarry.controlplane.api;

import java.util.UUID;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses before any handler runs (a request line it cannot parse, headers above
 * the limit, a body above the limit, a body that stalls) in the AWS error shape instead of Jetty's
 * HTML page: 4xx as {@code ValidationException}, 5xx as {@code InternalServerException}.
 */
final class AwsErrorHandler implements Request.Handler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code
            ? code
            : response.getStatus();
    if (status < 400) {
      status = 500;
    }
    Object reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    Object cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
    String message =
        reason instanceof String text && !text.isBlank()
            ? text
            : cause instanceof Throwable t && t.getMessage() != null
                ? t.getMessage()
                : HttpStatus.getMessage(status);
    if (status < 500) {
      message = "Malformed request: " + message;
    }
    String type =
        status == 503
            ? "ServiceUnavailableException"
            : status >= 500 ? "InternalServerException" : "ValidationException";
    RestJsonIo.sendError(
        response, new ApiException(status, type, message), UUID.randomUUID().toString(), callback);
    return true;
  }
}
