package dev.quarry.job.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/** Calls {@code InvokeModel} with the record's {@code modelInput} as the model-native body. */
public final class InvokeModelInvoker implements ModelInvoker {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BedrockRuntimeAsyncClient client;
  private final String modelId;

  public InvokeModelInvoker(BedrockRuntimeAsyncClient client, String modelId) {
    this.client = client;
    this.modelId = modelId;
  }

  @Override
  public CompletableFuture<ModelResponse> invoke(String modelInputJson) {
    InvokeModelRequest request =
        InvokeModelRequest.builder()
            .modelId(modelId)
            .contentType("application/json")
            .accept("application/json")
            .body(SdkBytes.fromUtf8String(modelInputJson))
            .build();
    return client.invokeModel(request).thenApply(InvokeModelInvoker::toModelResponse);
  }

  private static ModelResponse toModelResponse(InvokeModelResponse response) {
    String raw = response.body().asUtf8String();
    JsonNode body;
    try {
      body = JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new MalformedModelResponseException(
          "Model response is not JSON: " + e.getOriginalMessage());
    }
    if (body == null) {
      throw new MalformedModelResponseException("Model response is empty");
    }
    // Re-serialized so that a pretty-printed body still fits on one output line.
    return new ModelResponse(
        body.toString(),
        TokenCounts.input(response.sdkHttpResponse(), body),
        TokenCounts.output(response.sdkHttpResponse(), body));
  }
}
