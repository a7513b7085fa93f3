package dev.quarry.job.invoke.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;

/**
 * Turns a non-2xx Bedrock Runtime response into the exception the SDK's REST-JSON error
 * unmarshaller would raise (spec §2): error code from {@code x-amzn-ErrorType} (text after the
 * first {@code :} dropped), else the body's {@code __type} or {@code code} (namespace and suffix
 * dropped); message from {@code x-amzn-error-message}, else the body's {@code message}, {@code
 * Message} or {@code errorMessage}. The status is the HTTP status.
 */
final class ErrorResponses {
  static final String SERVICE_NAME = "BedrockRuntime";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorResponses() {}

  static BedrockRuntimeException exception(SdkHttpResponse head, byte[] body) {
    JsonNode json = parse(body);
    String code =
        head.firstMatchingHeader("x-amzn-ErrorType")
            .map(ErrorResponses::beforeColon)
            .orElseGet(() -> bodyCode(json));
    String message =
        head.firstMatchingHeader("x-amzn-error-message")
            .orElseGet(() -> firstText(json, "message", "Message", "errorMessage"));
    String requestId =
        head.firstMatchingHeader("x-amzn-RequestId")
            .or(() -> head.firstMatchingHeader("x-amz-request-id"))
            .orElse(null);
    return (BedrockRuntimeException)
        BedrockRuntimeException.builder()
            .statusCode(head.statusCode())
            .requestId(requestId)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage(message)
                    .serviceName(SERVICE_NAME)
                    .sdkHttpResponse(head)
                    .rawResponse(SdkBytes.fromByteArray(body))
                    .build())
            .build();
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? null : JSON.readTree(body);
    } catch (java.io.IOException e) {
      return null; // a proxy's HTML page, say: the status still classifies the failure
    }
  }

  private static String bodyCode(JsonNode json) {
    String code = firstText(json, "__type", "code");
    if (code == null) {
      return null;
    }
    code = beforeColon(code);
    int hash = code.lastIndexOf('#');
    return hash < 0 ? code : code.substring(hash + 1);
  }

  private static String beforeColon(String value) {
    int colon = value.indexOf(':');
    return (colon < 0 ? value : value.substring(0, colon)).trim();
  }

  private static String firstText(JsonNode json, String... names) {
    if (json == null || !json.isObject()) {
      return null;
    }
    for (String name : names) {
      JsonNode value = json.get(name);
      if (value != null && value.isTextual()) {
        return value.textValue();
      }
    }
    return null;
  }
}
