package dev.quarry.job.invoke.openaibatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.ModelInvoker;
import dev.quarry.job.invoke.ModelResponse;
import dev.quarry.job.invoke.http.BedrockRuntimeHttp;
import dev.quarry.job.invoke.http.RuntimeResponse;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a batch's chat-completions request on a Bedrock model: the body becomes a Converse request
 * ({@link ChatToConverse}), the answer a {@code chat.completion} ({@link ConverseToChat}) carrying
 * Bedrock's request id.
 */
final class ChatOnConverseInvoker implements ModelInvoker {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BedrockRuntimeHttp http;
  private final String modelId;
  private final String path;
  private final Clock clock;

  ChatOnConverseInvoker(BedrockRuntimeHttp http, String modelId, Clock clock) {
    this.http = http;
    this.modelId = modelId;
    this.path = BedrockRuntimeHttp.modelPath(modelId, "converse");
    this.clock = clock;
  }

  @Override
  public CompletableFuture<ModelResponse> invoke(String bodyJson) {
    byte[] request;
    try {
      JsonNode body = JSON.readTree(bodyJson);
      BatchModel.require(body, modelId);
      request = JSON.writeValueAsBytes(ChatToConverse.request(body));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new InvalidModelInputException("body is not JSON"));
    } catch (InvalidModelInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return http.postJson(path, request).thenApply(this::toResponse);
  }

  private ModelResponse toResponse(RuntimeResponse response) {
    JsonNode converse = BatchModel.parse(response.body());
    String requestId = response.head().firstMatchingHeader("x-amzn-RequestId").orElse(null);
    String id =
        "chatcmpl-"
            + (requestId != null ? requestId : UUID.randomUUID().toString()).replace("-", "");
    JsonNode chat = ConverseToChat.completion(converse, modelId, id, clock.instant());
    return new ModelResponse(
        chat.toString(),
        ConverseToChat.tokens(converse, "/usage/inputTokens"),
        ConverseToChat.tokens(converse, "/usage/outputTokens"),
        requestId);
  }
}
