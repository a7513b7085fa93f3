package dev.quarry.job.invoke.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;

/**
 * Turns an OpenAI-compatible server's error answer into the Bedrock Runtime error it stands for, so
 * the job classifies, retries and writes it exactly as a Bedrock error: the status stays (429
 * throttles, 5xx and 408 are retried, 4xx are the record's error line), the code is Bedrock's for
 * that status, and the message is the server's own, read from OpenAI's {@code
 * {"error":{"message"}}}, or the {@code {"error":"…"}}, {@code {"message"}} and {@code {"detail"}}
 * shapes other servers use.
 */
final class UpstreamErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UpstreamErrors() {}

  static BedrockRuntimeException exception(SdkHttpResponse head, byte[] body) {
    int status = head.statusCode();
    String message = message(body);
    if (message == null || message.isBlank()) {
      message = "The model server answered HTTP " + status;
    }
    return (BedrockRuntimeException)
        BedrockRuntimeException.builder()
            .statusCode(status)
            .requestId(head.firstMatchingHeader("x-request-id").orElse(null))
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(bedrockCode(status))
                    .errorMessage(message)
                    .serviceName("OpenAICompatible")
                    .sdkHttpResponse(head)
                    .rawResponse(SdkBytes.fromByteArray(body))
                    .build())
            .build();
  }

  /** The Bedrock Runtime error code answered with {@code status}. */
  static String bedrockCode(int status) {
    return switch (status) {
      case 400, 413, 422 -> "ValidationException";
      case 401, 403 -> "AccessDeniedException";
      case 404 -> "ResourceNotFoundException";
      case 408, 504 -> "ModelTimeoutException";
      case 429 -> "ThrottlingException";
      case 503 -> "ServiceUnavailableException";
      default -> status >= 500 ? "InternalServerException" : "ValidationException";
    };
  }

  private static String message(byte[] body) {
    JsonNode json;
    try {
      json = body.length == 0 ? null : JSON.readTree(body);
    } catch (java.io.IOException e) {
      return null; // a proxy's HTML page: the status alone tells what happened
    }
    if (json == null || !json.isObject()) {
      return null;
    }
    JsonNode error = json.get("error");
    if (error != null && error.isObject() && error.path("message").isTextual()) {
      return error.get("message").textValue();
    }
    if (error != null && error.isTextual()) {
      return error.textValue();
    }
    if (json.path("message").isTextual()) {
      return json.get("message").textValue();
    }
    JsonNode detail = json.get("detail");
    if (detail != null && !detail.isNull()) {
      return detail.isTextual() ? detail.textValue() : detail.toString();
    }
    return null;
  }
}
