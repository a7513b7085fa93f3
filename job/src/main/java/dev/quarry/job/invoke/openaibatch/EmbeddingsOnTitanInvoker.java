package dev.quarry.job.invoke.openaibatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.MalformedModelResponseException;
import dev.quarry.job.invoke.ModelInvoker;
import dev.quarry.job.invoke.ModelResponse;
import dev.quarry.job.invoke.http.BedrockRuntimeHttp;
import dev.quarry.job.invoke.http.RuntimeResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a batch's embeddings request on an Amazon Titan Text Embeddings model: one input text (a
 * string, or an array of one) becomes {@code {"inputText","dimensions"}} for InvokeModel, and the
 * answer OpenAI's {@code {"object":"list","data":[{"object":"embedding","index":0,"embedding"}],
 * "model","usage"}}, as floats or, with {@code encoding_format} {@code base64}, as little-endian
 * float32 in base64, as OpenAI encodes them.
 */
final class EmbeddingsOnTitanInvoker implements ModelInvoker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MEMBERS =
      Set.of("model", "input", "dimensions", "encoding_format", "user");

  private final BedrockRuntimeHttp http;
  private final String modelId;
  private final String path;

  EmbeddingsOnTitanInvoker(BedrockRuntimeHttp http, String modelId) {
    this.http = http;
    this.modelId = modelId;
    this.path = BedrockRuntimeHttp.modelPath(modelId, "invoke");
  }

  @Override
  public CompletableFuture<ModelResponse> invoke(String bodyJson) {
    byte[] request;
    boolean base64;
    try {
      JsonNode body = JSON.readTree(bodyJson);
      BatchModel.require(body, modelId);
      body.fieldNames()
          .forEachRemaining(
              name -> {
                if (!MEMBERS.contains(name)) {
                  throw ChatToConverse.untranslatable("body." + name, "the member " + name);
                }
              });
      ObjectNode titan = JSON.createObjectNode();
      titan.put("inputText", inputText(body.get("input")));
      JsonNode dimensions = body.get("dimensions");
      if (dimensions != null && !dimensions.isNull()) {
        if (!dimensions.canConvertToInt() || dimensions.asInt() < 1) {
          throw new InvalidModelInputException("body.dimensions must be a positive integer");
        }
        titan.put("dimensions", dimensions.asInt());
      }
      String encoding = body.path("encoding_format").asText("float");
      if (!encoding.equals("float") && !encoding.equals("base64")) {
        throw new InvalidModelInputException("body.encoding_format must be float or base64");
      }
      base64 = encoding.equals("base64");
      request = JSON.writeValueAsBytes(titan);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new InvalidModelInputException("body is not JSON"));
    } catch (InvalidModelInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return http.postJson(path, request).thenApply(r -> toResponse(r, base64));
  }

  private static String inputText(JsonNode input) {
    if (input != null && input.isTextual() && !input.textValue().isEmpty()) {
      return input.textValue();
    }
    if (input != null && input.isArray() && input.size() == 1 && input.get(0).isTextual()) {
      return input.get(0).textValue();
    }
    if (input != null && input.isArray() && input.size() > 1) {
      throw new InvalidModelInputException(
          "body.input: a Titan embeddings model embeds one text per request; send one input"
              + " per line");
    }
    throw new InvalidModelInputException("body.input must be a non-empty string");
  }

  private ModelResponse toResponse(RuntimeResponse response, boolean base64) {
    JsonNode titan = BatchModel.parse(response.body());
    JsonNode embedding = titan.get("embedding");
    if (embedding == null || !embedding.isArray()) {
      throw new MalformedModelResponseException("The Titan answer has no embedding");
    }
    long tokens = ConverseToChat.tokens(titan, "/inputTextTokenCount");
    ObjectNode list = JSON.createObjectNode();
    list.put("object", "list");
    ObjectNode item = list.putArray("data").addObject();
    item.put("object", "embedding");
    item.put("index", 0);
    if (base64) {
      item.put("embedding", base64(embedding));
    } else {
      item.set("embedding", embedding);
    }
    list.put("model", modelId);
    list.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return new ModelResponse(
        list.toString(),
        tokens,
        0,
        response.head().firstMatchingHeader("x-amzn-RequestId").orElse(null));
  }

  private static String base64(JsonNode vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode x : (ArrayNode) vector) {
      bytes.putFloat((float) x.asDouble());
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
