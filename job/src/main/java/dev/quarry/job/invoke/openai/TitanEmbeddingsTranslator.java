package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.MalformedModelResponseException;
import dev.quarry.job.invoke.ModelResponse;
import java.util.Set;

/**
 * Amazon Titan Text Embeddings bodies to {@code /embeddings}: {@code inputText} is the input,
 * {@code dimensions} is passed on when given (the server must support it), {@code normalize}
 * (Titan's default: true) scales the vector to unit length here, and {@code embeddingTypes} adds
 * {@code embeddingsByType} ({@code binary}: 1 for each positive component, as Titan's binary
 * embedding). The answer is {@code {"embedding","inputTextTokenCount"}}.
 */
final class TitanEmbeddingsTranslator implements BedrockBodyTranslator {
  private static final Set<String> TRANSLATED =
      Set.of("inputText", "dimensions", "normalize", "embeddingTypes");

  @Override
  public UpstreamRequest request(JsonNode input, String upstreamModel) {
    Members.object(input, "modelInput");
    Members.onlyKnown(input, "modelInput", TRANSLATED, Set.of());
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", upstreamModel);
    body.put("input", Members.requiredText(input, "inputText", "modelInput"));
    body.put("encoding_format", "float");
    JsonNode dimensions = input.get("dimensions");
    if (dimensions != null && !dimensions.isNull()) {
      if (!dimensions.isIntegralNumber() || dimensions.asInt() < 1) {
        throw new InvalidModelInputException("modelInput.dimensions must be a positive integer");
      }
      body.put("dimensions", dimensions.asInt());
    }
    JsonNode normalize = input.get("normalize");
    if (normalize != null && !normalize.isNull() && !normalize.isBoolean()) {
      throw new InvalidModelInputException("modelInput.normalize must be true or false");
    }
    types(input);
    return new UpstreamRequest(UpstreamRequest.EMBEDDINGS, body);
  }

  @Override
  public ModelResponse response(JsonNode modelInput, JsonNode upstream, long latencyMillis) {
    JsonNode vector = upstream.path("data").path(0).path("embedding");
    if (!vector.isArray() || vector.isEmpty()) {
      throw new MalformedModelResponseException(
          "The model server's answer has no data[0].embedding array of"
              + " floats (encoding_format float)");
    }
    double[] values = new double[vector.size()];
    double sumOfSquares = 0;
    for (int i = 0; i < values.length; i++) {
      if (!vector.get(i).isNumber()) {
        throw new MalformedModelResponseException("data[0].embedding[" + i + "] is not a number");
      }
      values[i] = vector.get(i).asDouble();
      sumOfSquares += values[i] * values[i];
    }
    if (modelInput.path("normalize").asBoolean(true) && sumOfSquares > 0) {
      double norm = Math.sqrt(sumOfSquares);
      for (int i = 0; i < values.length; i++) {
        values[i] /= norm;
      }
    }
    long inputTokens = ChatCompletion.tokens(upstream, "/usage/prompt_tokens");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    floats(body.putArray("embedding"), values);
    body.put("inputTextTokenCount", inputTokens);
    Set<String> types = types(modelInput);
    if (!types.isEmpty()) {
      ObjectNode byType = body.putObject("embeddingsByType");
      if (types.contains("float")) {
        floats(byType.putArray("float"), values);
      }
      if (types.contains("binary")) {
        ArrayNode binary = byType.putArray("binary");
        for (double x : values) {
          binary.add(x > 0 ? 1 : 0);
        }
      }
    }
    return new ModelResponse(body.toString(), inputTokens, 0);
  }

  private static void floats(ArrayNode out, double[] values) {
    for (double x : values) {
      out.add((float) x);
    }
  }

  private static Set<String> types(JsonNode input) {
    JsonNode types = input.get("embeddingTypes");
    if (types == null || types.isNull()) {
      return Set.of();
    }
    if (!types.isArray()) {
      throw new InvalidModelInputException("modelInput.embeddingTypes must be an array");
    }
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (JsonNode t : types) {
      if (!t.isTextual() || !Set.of("float", "binary").contains(t.textValue())) {
        throw new InvalidModelInputException("modelInput.embeddingTypes holds float or binary");
      }
      out.add(t.textValue());
    }
    return out;
  }
}
