package dev.quarry.job.invoke.openaibatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.ModelInvoker;
import dev.quarry.job.invoke.ModelResponse;
import dev.quarry.job.invoke.http.OpenAiCompatibleHttp;
import dev.quarry.job.invoke.http.RuntimeResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a batch's request to an OpenAI-compatible server as it is, to the same operation under the
 * server's base URL ({@code /v1/chat/completions} → {@code <base>/chat/completions}), with only
 * {@code model} replaced by the name the server knows (the route's {@code upstream-model}); the
 * server's answer is the line's response body as it came.
 */
final class PassThroughInvoker implements ModelInvoker {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiCompatibleHttp http;
  private final String path;
  private final String modelId;
  private final String upstreamModel;

  /**
   * @param path the operation under the base URL, {@code /chat/completions} or {@code /embeddings}
   * @param modelId the batch's model, as its lines name it
   * @param upstreamModel the name the server knows it by
   */
  PassThroughInvoker(OpenAiCompatibleHttp http, String path, String modelId, String upstreamModel) {
    this.http = http;
    this.path = path;
    this.modelId = modelId;
    this.upstreamModel = upstreamModel;
  }

  @Override
  public CompletableFuture<ModelResponse> invoke(String bodyJson) {
    byte[] request;
    try {
      JsonNode body = JSON.readTree(bodyJson);
      BatchModel.require(body, modelId);
      ObjectNode upstream = ((ObjectNode) body).deepCopy();
      upstream.put("model", upstreamModel);
      request = JSON.writeValueAsBytes(upstream);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new InvalidModelInputException("body is not JSON"));
    } catch (InvalidModelInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return http.postJson(path, request).thenApply(PassThroughInvoker::toResponse);
  }

  private static ModelResponse toResponse(RuntimeResponse response) {
    JsonNode body = BatchModel.parse(response.body());
    return new ModelResponse(
        body.toString(),
        ConverseToChat.tokens(body, "/usage/prompt_tokens"),
        ConverseToChat.tokens(body, "/usage/completion_tokens"),
        response.head().firstMatchingHeader("x-request-id").orElse(null));
  }
}
