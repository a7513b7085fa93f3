package dev.quarry.job.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.invoke.http.BedrockRuntimeHttp;
import dev.quarry.job.invoke.http.RuntimeResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Calls {@code Converse} with the record's {@code modelInput} as the request body, byte for byte,
 * and passes the response body on as it came (whitespace between tokens aside): every member either
 * way reaches its destination, including those Bedrock adds after this code was written, which a
 * typed SDK model would drop.
 *
 * <p>Before the call the record must pass {@link BatchConverseRules}, as it must in Bedrock's batch
 * Converse.
 */
public final class ConverseInvoker implements ModelInvoker {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BedrockRuntimeHttp http;
  private final String path;

  public ConverseInvoker(BedrockRuntimeHttp http, String modelId) {
    this.http = http;
    this.path = BedrockRuntimeHttp.modelPath(modelId, "converse");
  }

  @Override
  public CompletableFuture<ModelResponse> invoke(String modelInputJson) {
    try {
      BatchConverseRules.check(JSON.readTree(modelInputJson));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(
          new InvalidModelInputException("modelInput is not JSON"));
    } catch (InvalidModelInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return http.postJson(path, modelInputJson.getBytes(StandardCharsets.UTF_8))
        .thenApply(ConverseInvoker::toModelResponse);
  }

  static ModelResponse toModelResponse(RuntimeResponse response) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new MalformedModelResponseException(
          "Model response is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedModelResponseException("Model response cannot be read: " + e.getMessage());
    }
    if (body == null || body.isMissingNode()) {
      throw new MalformedModelResponseException("Model response is empty");
    }
    return new ModelResponse(
        CompactJson.of(response.body()),
        tokens(body, "/usage/inputTokens"),
        tokens(body, "/usage/outputTokens"));
  }

  private static long tokens(JsonNode body, String pointer) {
    JsonNode n = body.at(pointer);
    return n.canConvertToLong() ? n.asLong() : 0;
  }
}
