package dev.quarry.job.invoke.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.invoke.CallFailure;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;

/**
 * Error responses read as spec §2 says the SDK reads them, and classified as InvokeModel's errors
 * are.
 */
class ErrorResponsesTest {

  private static BedrockRuntimeException parse(int status, String errorType, String body) {
    SdkHttpResponse.Builder head =
        SdkHttpResponse.builder().statusCode(status).putHeader("x-amzn-RequestId", "req-1");
    if (errorType != null) {
      head.putHeader("x-amzn-ErrorType", errorType);
    }
    return ErrorResponses.exception(head.build(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theCodeComesFromTheHeaderWithoutWhatFollowsTheColon() {
    BedrockRuntimeException e =
        parse(
            400,
            "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
            "{\"message\":\"Malformed input request: 2 schema violations found\"}");

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(e.awsErrorDetails().errorMessage())
        .isEqualTo("Malformed input request: 2 schema violations found");
    assertThat(e.requestId()).isEqualTo("req-1");
    assertThat(CallFailure.of(e))
        .isEqualTo(
            new CallFailure(
                400, "Malformed input request: 2 schema violations found", false, false));
  }

  @Test
  void withoutTheHeaderTheBodysTypeIsUsedWithoutNamespaceOrSuffix() {
    BedrockRuntimeException e =
        parse(
            429,
            null,
            "{\"__type\":\"com.amazonaws.bedrock#ThrottlingException:x\",\"Message\":\"Rate exceeded\"}");

    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
    assertThat(CallFailure.of(e)).isEqualTo(new CallFailure(429, "Rate exceeded", true, true));
    assertThat(
            parse(400, null, "{\"code\":\"ThrottlingException\",\"errorMessage\":\"slow down\"}"))
        .satisfies(
            t -> assertThat(CallFailure.of(t).throttled()).as("throttling by code alone").isTrue());
  }

  @Test
  void modelNotReadyIsThrottlingAndServerSideFailuresAreRetryable() {
    assertThat(CallFailure.of(parse(429, "ModelNotReadyException", "{\"message\":\"warming up\"}")))
        .isEqualTo(new CallFailure(429, "warming up", true, true));
    assertThat(CallFailure.of(parse(503, "ServiceUnavailableException", "{\"message\":\"busy\"}")))
        .isEqualTo(new CallFailure(503, "busy", false, true));
    assertThat(CallFailure.of(parse(408, "ModelTimeoutException", "{\"message\":\"slow\"}")))
        .isEqualTo(new CallFailure(408, "slow", false, true));
    assertThat(CallFailure.of(parse(424, "ModelErrorException", "{\"message\":\"model broke\"}")))
        .isEqualTo(new CallFailure(424, "model broke", false, false));
  }

  @Test
  void aBodyThatIsNotJsonStillClassifiesByStatus() {
    BedrockRuntimeException e = parse(502, null, "<html>Bad Gateway</html>");

    assertThat(e.awsErrorDetails().errorCode()).isNull();
    CallFailure f = CallFailure.of(e);
    assertThat(f.statusCode()).isEqualTo(502);
    assertThat(f.retryable()).isTrue();
    assertThat(f.message()).contains("Status Code: 502");
  }

  @Test
  void theMessageHeaderWinsOverTheBody() {
    SdkHttpResponse head =
        SdkHttpResponse.builder()
            .statusCode(403)
            .putHeader("x-amzn-ErrorType", "AccessDeniedException")
            .putHeader("x-amzn-error-message", "from the header")
            .build();

    BedrockRuntimeException e =
        ErrorResponses.exception(
            head, "{\"message\":\"from the body\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("from the header");
  }
}
