package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class CallFailureTest {

  private static AwsErrorDetails details(String code, String message) {
    return AwsErrorDetails.builder()
        .errorCode(code)
        .errorMessage(message)
        .serviceName("BedrockRuntime")
        .build();
  }

  private static void assertFailure(
      CallFailure f, int status, boolean throttled, boolean retryable, String message) {
    assertThat(f.statusCode()).isEqualTo(status);
    assertThat(f.throttled()).as("throttled").isEqualTo(throttled);
    assertThat(f.retryable()).as("retryable").isEqualTo(retryable);
    assertThat(f.message()).isEqualTo(message);
  }

  @Test
  void throttling429() {
    Throwable e =
        ThrottlingException.builder()
            .statusCode(429)
            .message("Too many requests")
            .awsErrorDetails(
                details(
                    "ThrottlingException", "Too many requests, please wait before trying again."))
            .build();
    assertFailure(
        CallFailure.of(e), 429, true, true, "Too many requests, please wait before trying again.");
  }

  @Test
  void throttlingWrappedInCompletionException() {
    Throwable e =
        ThrottlingException.builder()
            .statusCode(429)
            .awsErrorDetails(details("ThrottlingException", "Rate exceeded"))
            .build();
    assertFailure(CallFailure.of(new CompletionException(e)), 429, true, true, "Rate exceeded");
    assertFailure(
        CallFailure.of(new CompletionException(new ExecutionException(e))),
        429,
        true,
        true,
        "Rate exceeded");
  }

  @Test
  void throttlingRecognisedByErrorCodeAlone() {
    Throwable e =
        ThrottlingException.builder()
            .statusCode(400)
            .awsErrorDetails(details("ThrottlingException", "Rate exceeded"))
            .build();
    CallFailure f = CallFailure.of(e);
    assertThat(f.throttled()).isTrue();
    assertThat(f.retryable()).isTrue();
  }

  @Test
  void internalServerError500() {
    Throwable e =
        InternalServerException.builder()
            .statusCode(500)
            .awsErrorDetails(details("InternalServerException", "Internal error"))
            .build();
    assertFailure(CallFailure.of(new CompletionException(e)), 500, false, true, "Internal error");
  }

  @Test
  void serviceUnavailable503() {
    Throwable e =
        ServiceUnavailableException.builder()
            .statusCode(503)
            .awsErrorDetails(details("ServiceUnavailableException", "Service unavailable"))
            .build();
    assertFailure(CallFailure.of(e), 503, false, true, "Service unavailable");
  }

  @Test
  void modelTimeout408() {
    Throwable e =
        ModelTimeoutException.builder()
            .statusCode(408)
            .awsErrorDetails(details("ModelTimeoutException", "Model timed out"))
            .build();
    assertFailure(CallFailure.of(e), 408, false, true, "Model timed out");
  }

  @Test
  void modelError424IsNotRetried() {
    Throwable e =
        ModelErrorException.builder()
            .statusCode(424)
            .awsErrorDetails(details("ModelErrorException", "The model failed"))
            .build();
    assertFailure(CallFailure.of(e), 424, false, false, "The model failed");
  }

  @Test
  void validation400IsNotRetried() {
    Throwable e =
        ValidationException.builder()
            .statusCode(400)
            .awsErrorDetails(
                details("ValidationException", "Malformed input request: #: extraneous key [foo]"))
            .build();
    assertFailure(
        CallFailure.of(new CompletionException(e)),
        400,
        false,
        false,
        "Malformed input request: #: extraneous key [foo]");
  }

  @Test
  void modelNotReadyCountsAsThrottling() {
    Throwable e =
        ModelNotReadyException.builder()
            .statusCode(429)
            .awsErrorDetails(details("ModelNotReadyException", "Model is not ready"))
            .build();
    assertFailure(CallFailure.of(e), 429, true, true, "Model is not ready");
  }

  @Test
  void modelNotReadyIsThrottlingWhateverItsStatus() {
    Throwable e =
        ModelNotReadyException.builder()
            .statusCode(503)
            .awsErrorDetails(details("ModelNotReadyException", "warming up"))
            .build();
    CallFailure f = CallFailure.of(e);
    assertThat(f.throttled()).isTrue();
    assertThat(f.retryable()).isTrue();
  }

  @Test
  void accessDenied403IsNotRetried() {
    Throwable e =
        AccessDeniedException.builder()
            .statusCode(403)
            .awsErrorDetails(details("AccessDeniedException", "You don't have access to the model"))
            .build();
    assertFailure(CallFailure.of(e), 403, false, false, "You don't have access to the model");
  }

  @Test
  void messageFallsBackToTheExceptionMessageWithoutErrorDetails() {
    Throwable e = ValidationException.builder().statusCode(400).message("plain message").build();
    CallFailure f = CallFailure.of(e);
    assertThat(f.statusCode()).isEqualTo(400);
    assertThat(f.retryable()).isFalse();
    assertThat(f.message()).contains("plain message");
  }

  @Test
  void messageFallsBackWhenErrorDetailsHaveNoMessage() {
    Throwable e =
        InternalServerException.builder()
            .statusCode(500)
            .message("outer message")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerException").build())
            .build();
    CallFailure f = CallFailure.of(e);
    assertThat(f.message()).contains("outer message");
    assertThat(f.retryable()).isTrue();
  }

  @Test
  void connectionFailureWithAnIoCauseIsRetried() {
    Throwable e =
        SdkClientException.builder()
            .message("Unable to execute HTTP request")
            .cause(new IOException("Connection reset by peer"))
            .build();
    assertFailure(
        CallFailure.of(new CompletionException(e)),
        500,
        false,
        true,
        "Connection to the model failed: Unable to execute HTTP request: Connection reset by peer");
  }

  @Test
  void causeAlreadyInTheMessageIsNotRepeated() {
    Throwable e =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: Connection refused")
            .cause(new ConnectException("Connection refused"))
            .build();
    assertFailure(
        CallFailure.of(e),
        500,
        false,
        true,
        "Connection to the model failed: Unable to execute HTTP request: Connection refused");
  }

  @Test
  void plainIoExceptionIsRetried() {
    assertFailure(
        CallFailure.of(new CompletionException(new IOException("Broken pipe"))),
        500,
        false,
        true,
        "Connection to the model failed: Broken pipe");
  }

  @Test
  void attemptTimeoutIsA408AndRetried() {
    Throwable e =
        ApiCallAttemptTimeoutException.builder()
            .message(
                "HTTP request execution did not complete before the specified timeout configuration: 60000 millis")
            .build();
    CallFailure f = CallFailure.of(new CompletionException(e));
    assertThat(f.statusCode()).isEqualTo(408);
    assertThat(f.throttled()).isFalse();
    assertThat(f.retryable()).isTrue();
    assertThat(f.message())
        .isEqualTo(
            "Model call timed out: "
                + "HTTP request execution did not complete before the specified timeout configuration: 60000 millis");
  }

  @Test
  void callTimeoutIsA408AndRetried() {
    CallFailure f = CallFailure.of(new CompletionException(ApiCallTimeoutException.create(5_000)));
    assertThat(f.statusCode()).isEqualTo(408);
    assertThat(f.retryable()).isTrue();
    assertThat(f.message()).startsWith("Model call timed out: ");
  }

  @Test
  void javaTimeoutIsA408AndRetried() {
    assertFailure(
        CallFailure.of(new TimeoutException("late")),
        408,
        false,
        true,
        "Model call timed out: late");
  }

  @Test
  void invalidModelInputIsA400AndNotRetried() {
    assertFailure(
        CallFailure.of(
            new CompletionException(new InvalidModelInputException("modelInput.x: bad"))),
        400,
        false,
        false,
        "modelInput.x: bad");
  }

  @Test
  void malformedModelResponseIsA500AndNotRetried() {
    assertFailure(
        CallFailure.of(new MalformedModelResponseException("Model response is not JSON: x")),
        500,
        false,
        false,
        "Model response is not JSON: x");
  }

  @Test
  void anythingElseIsA500AndNotRetried() {
    assertFailure(
        CallFailure.of(new CompletionException(new IllegalStateException("boom"))),
        500,
        false,
        false,
        "Model call failed: boom");
    assertFailure(
        CallFailure.of(new NullPointerException()),
        500,
        false,
        false,
        "Model call failed: NullPointerException");
  }

  @Test
  void completionExceptionWithoutCauseIsClassifiedItself() {
    CallFailure f = CallFailure.of(new CompletionException("lost", null));
    assertThat(f.statusCode()).isEqualTo(500);
    assertThat(f.retryable()).isFalse();
    assertThat(f.message()).isEqualTo("Model call failed: lost");
  }
}
