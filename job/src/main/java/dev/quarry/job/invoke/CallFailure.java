package dev.quarry.job.invoke;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;

/**
 * A failed model call, classified: the status code its error line carries, whether the provider
 * throttled, and whether another attempt could succeed.
 *
 * @param statusCode HTTP-style status for the error line
 * @param message what went wrong, for the error line
 * @param throttled the provider said slow down (429)
 * @param retryable throttling, 5xx, timeouts and dropped connections; never a 4xx the input caused
 */
public record CallFailure(int statusCode, String message, boolean throttled, boolean retryable) {
  private static final String MODEL_NOT_READY = "ModelNotReadyException";

  /** Classifies what a call's future failed with. */
  public static CallFailure of(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof AwsServiceException aws) {
      int status = aws.statusCode();
      // By class for the SDK's calls, by error code for the raw Converse calls, which raise the
      // generic exception.
      boolean throttled =
          aws.isThrottlingException()
              || status == 429
              || e instanceof ModelNotReadyException
              || (aws.awsErrorDetails() != null
                  && MODEL_NOT_READY.equals(aws.awsErrorDetails().errorCode()));
      boolean retryable = throttled || status >= 500 || status == 408;
      String message =
          aws.awsErrorDetails() != null && aws.awsErrorDetails().errorMessage() != null
              ? aws.awsErrorDetails().errorMessage()
              : aws.getMessage();
      return new CallFailure(status, message, throttled, retryable);
    }
    if (e instanceof InvalidModelInputException) {
      return new CallFailure(400, e.getMessage(), false, false);
    }
    if (e instanceof MalformedModelResponseException) {
      return new CallFailure(500, e.getMessage(), false, false);
    }
    if (e instanceof ApiCallAttemptTimeoutException
        || e instanceof ApiCallTimeoutException
        || e instanceof TimeoutException) {
      return new CallFailure(408, "Model call timed out: " + e.getMessage(), false, true);
    }
    if (e instanceof SdkClientException || e instanceof IOException) {
      return new CallFailure(500, "Connection to the model failed: " + describe(e), false, true);
    }
    return new CallFailure(500, "Model call failed: " + describe(e), false, false);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null
        && cause.getMessage() != null
        && (message == null || !message.contains(cause.getMessage()))) {
      message = (message == null ? "" : message + ": ") + cause.getMessage();
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
