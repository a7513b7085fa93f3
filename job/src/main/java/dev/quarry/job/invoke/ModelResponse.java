package dev.quarry.job.invoke;

/**
 * A successful model answer: the body to write as {@code modelOutput} and the tokens it cost.
 *
 * @param body the response body as compact, single-line JSON
 * @param inputTokens input tokens from the response headers or usage, 0 if the model reports none
 * @param outputTokens output tokens from the response headers or usage, 0 if the model reports none
 * @param requestId the provider's id of the request, or {@code null} where none is known
 */
public record ModelResponse(String body, long inputTokens, long outputTokens, String requestId) {

  /** An answer without a request id. */
  public ModelResponse(String body, long inputTokens, long outputTokens) {
    this(body, inputTokens, outputTokens, null);
  }
}
