package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.MalformedModelResponseException;
import dev.quarry.job.invoke.ModelInvoker;
import dev.quarry.job.invoke.ModelResponse;
import dev.quarry.job.invoke.http.OpenAiCompatibleHttp;
import dev.quarry.job.invoke.http.RuntimeResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Calls an OpenAI-compatible server for a Bedrock-format record: the {@link BedrockBodyTranslator}
 * makes the request, {@link OpenAiCompatibleHttp} sends it, and the answer comes back as the body
 * Bedrock would have written. An input that cannot be translated fails before anything is sent, as
 * a 400.
 */
public final class OpenAiCompatibleInvoker implements ModelInvoker {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiCompatibleHttp http;
  private final BedrockBodyTranslator translator;
  private final String upstreamModel;

  OpenAiCompatibleInvoker(
      OpenAiCompatibleHttp http, BedrockBodyTranslator translator, String upstreamModel) {
    this.http = http;
    this.translator = translator;
    this.upstreamModel = upstreamModel;
  }

  @Override
  public CompletableFuture<ModelResponse> invoke(String modelInputJson) {
    JsonNode input;
    UpstreamRequest request;
    byte[] body;
    try {
      input = JSON.readTree(modelInputJson);
      request = translator.request(input, upstreamModel);
      body = JSON.writeValueAsBytes(request.body());
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(
          new InvalidModelInputException("modelInput is not JSON"));
    } catch (InvalidModelInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    long sent = System.nanoTime();
    return http.postJson(request.path(), body)
        .thenApply(
            response ->
                translator.response(
                    input, parse(response), (System.nanoTime() - sent) / 1_000_000));
  }

  private static JsonNode parse(RuntimeResponse response) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new MalformedModelResponseException(
          "Model server response is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedModelResponseException(
          "Model server response cannot be read: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw new MalformedModelResponseException("Model server response is not a JSON object");
    }
    return body;
  }
}
