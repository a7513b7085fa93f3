package dev.quarry.emulator.family;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.model.ModelId;
import dev.quarry.emulator.stats.BodyDigest;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Amazon Titan Text Embeddings. V2 takes {@code dimensions} (256, 512 or 1024, default 1024) and
 * {@code normalize}; V1 takes only {@code inputText} and answers 1536 dimensions. The vector is a
 * pure function of the input text and dimension count, so equal texts embed equally whatever else
 * is in the body.
 */
public final class TitanEmbeddingFamily implements ModelFamily {
  private static final Set<String> V2_KEYS =
      Set.of("inputText", "dimensions", "normalize", "embeddingTypes");
  private static final Set<String> V1_KEYS = Set.of("inputText");
  private static final List<Integer> V2_DIMENSIONS = List.of(256, 512, 1024);
  private static final List<String> EMBEDDING_TYPES = List.of("float", "binary");
  private static final int V1_DIMENSIONS = 1536;
  private static final int V2_DEFAULT_DIMENSIONS = 1024;

  @Override
  public ModelRequest parseInvoke(JsonNode body, ModelId modelId) {
    boolean v1 = modelId.foundationModel().startsWith("amazon.titan-embed-text-v1");
    SchemaViolations v = new SchemaViolations(SchemaViolations.Style.INVOKE);
    ObjectNode root = v.root(body);
    v.throwIfAny();
    v.allowOnly(root, "#", v1 ? V1_KEYS : V2_KEYS);
    String inputText = v.string(v.required(root, "#", "inputText"), "#/inputText", 1);
    Integer dims = v.oneOfIntegers(v.optional(root, "dimensions"), "#/dimensions", V2_DIMENSIONS);
    Boolean normalize = v.bool(v.optional(root, "normalize"), "#/normalize");
    ArrayNode types = v.array(v.optional(root, "embeddingTypes"), "#/embeddingTypes", 1);
    boolean wantFloat = false;
    boolean wantBinary = false;
    if (types != null) {
      for (int i = 0; i < types.size(); i++) {
        String type =
            v.oneOf(types.get(i), SchemaViolations.index("#/embeddingTypes", i), EMBEDDING_TYPES);
        wantFloat |= "float".equals(type);
        wantBinary |= "binary".equals(type);
      }
    }
    v.throwIfAny();
    int dimensions = v1 ? V1_DIMENSIONS : (dims != null ? dims : V2_DEFAULT_DIMENSIONS);
    boolean unit = v1 || normalize == null || normalize;
    boolean byType = types != null;
    boolean floatByType = wantFloat;
    boolean binaryByType = wantBinary;
    return ModelRequest.embedding(
        inputText,
        (json, c) -> {
          float[] vector = vector(inputText, dimensions, unit);
          json.writeStartObject();
          json.writeFieldName("embedding");
          writeFloats(json, vector);
          json.writeNumberField("inputTextTokenCount", c.inputTokens());
          if (byType) {
            json.writeObjectFieldStart("embeddingsByType");
            if (floatByType) {
              json.writeFieldName("float");
              writeFloats(json, vector);
            }
            if (binaryByType) {
              json.writeArrayFieldStart("binary");
              for (float x : vector) {
                json.writeNumber(x > 0 ? 1 : 0);
              }
              json.writeEndArray();
            }
            json.writeEndObject();
          }
          json.writeEndObject();
        });
  }

  @Override
  public boolean supportsConverse() {
    return false;
  }

  @Override
  public int defaultMaxTokens() {
    return 0;
  }

  /**
   * The deterministic embedding of {@code text}: components in (-1, 1), scaled to unit length if
   * asked.
   */
  public static float[] vector(String text, int dimensions, boolean unitLength) {
    long state = BodyDigest.of(text).leadingLong() ^ dimensions;
    float[] vector = new float[dimensions];
    double sumOfSquares = 0;
    for (int i = 0; i < dimensions; i++) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      double x = ((z >>> 11) * 0x1.0p-53) * 2.0 - 1.0;
      vector[i] = (float) x;
      sumOfSquares += x * x;
    }
    if (unitLength && sumOfSquares > 0) {
      double norm = Math.sqrt(sumOfSquares);
      for (int i = 0; i < dimensions; i++) {
        vector[i] = (float) (vector[i] / norm);
      }
    }
    return vector;
  }

  private static void writeFloats(JsonGenerator json, float[] vector) throws IOException {
    json.writeStartArray();
    for (float x : vector) {
      json.writeNumber(x);
    }
    json.writeEndArray();
  }
}
