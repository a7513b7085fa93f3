package dev.quarry.emulator.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.family.ModelRequest;
import dev.quarry.emulator.family.TitanEmbeddingFamily;
import dev.quarry.emulator.wire.ServiceError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/embeddings}: {@code input} a string or an array of strings, {@code dimensions}
 * (default 1536), {@code encoding_format} {@code float} or {@code base64} (little-endian float32).
 * Each vector is unit length and a pure function of its text and dimension count, like the
 * emulator's Titan embeddings. Token arrays are refused.
 */
public final class EmbeddingsApi {
  /** Dimensions when a request sets none, as {@code text-embedding-3-small}. */
  static final int DEFAULT_DIMENSIONS = 1536;

  private static final Set<String> MEMBERS =
      Set.of("model", "input", "dimensions", "encoding_format", "user");

  private EmbeddingsApi() {}

  /** Validates an embeddings body and reduces it; a 400 {@link ServiceError} when it is invalid. */
  public static ModelRequest parse(JsonNode body) {
    String model = ChatCompletionsApi.model(body);
    OpenAiRequests.onlyKnown(body, MEMBERS);
    List<String> inputs = inputs(body.get("input"));
    Integer dimensions = OpenAiRequests.positiveInt(body, "dimensions");
    int dims = dimensions == null ? DEFAULT_DIMENSIONS : dimensions;
    if (dims > 8192) {
      throw OpenAiWire.invalid("dimensions", "Invalid 'dimensions': at most 8192.");
    }
    String format = body.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      throw OpenAiWire.invalid(
          "encoding_format",
          "Invalid value: '" + format + "'. Supported values are: 'float' and 'base64'.");
    }
    boolean base64 = format.equals("base64");
    return ModelRequest.embedding(
        String.join("\n", inputs),
        (json, c) -> {
          json.writeStartObject();
          json.writeStringField("object", "list");
          json.writeArrayFieldStart("data");
          for (int i = 0; i < inputs.size(); i++) {
            float[] vector = TitanEmbeddingFamily.vector(inputs.get(i), dims, true);
            json.writeStartObject();
            json.writeStringField("object", "embedding");
            json.writeNumberField("index", i);
            json.writeFieldName("embedding");
            if (base64) {
              json.writeString(base64(vector));
            } else {
              floats(json, vector);
            }
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeStringField("model", model);
          json.writeObjectFieldStart("usage");
          json.writeNumberField("prompt_tokens", c.inputTokens());
          json.writeNumberField("total_tokens", c.inputTokens());
          json.writeEndObject();
          json.writeEndObject();
        });
  }

  private static List<String> inputs(JsonNode input) {
    if (input != null && input.isTextual() && !input.textValue().isEmpty()) {
      return List.of(input.textValue());
    }
    if (input != null && input.isArray() && !input.isEmpty()) {
      List<String> texts = new ArrayList<>(input.size());
      for (int i = 0; i < input.size(); i++) {
        JsonNode item = input.get(i);
        if (!item.isTextual() || item.textValue().isEmpty()) {
          throw OpenAiWire.invalid(
              "input",
              "Invalid 'input["
                  + i
                  + "]': the emulator embeds non-empty "
                  + "strings (token arrays are not emulated).");
        }
        texts.add(item.textValue());
      }
      return texts;
    }
    throw OpenAiWire.invalid(
        "input", "'input' must be a non-empty string or a non-empty array of strings.");
  }

  private static void floats(JsonGenerator json, float[] vector) throws IOException {
    json.writeStartArray();
    for (float x : vector) {
      json.writeNumber(x);
    }
    json.writeEndArray();
  }

  private static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : vector) {
      bytes.putFloat(x);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
