package dev.quarry.job.invoke.http;

import java.util.Objects;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A successful (2xx) Bedrock Runtime response: its status line and headers, and its body exactly as
 * received.
 *
 * @param head the status and headers
 * @param body the body bytes
 */
public record RuntimeResponse(SdkHttpResponse head, byte[] body) {
  public RuntimeResponse {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(body, "body");
  }
}
