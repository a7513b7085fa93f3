package dev.quarry.job.invoke;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Estimates what a call will cost in tokens before it is made, so the tokens-per-minute budget can
 * be reserved up front: about four characters per input token plus the output tokens asked for.
 */
public final class TokenEstimator {
  /** Output reserve when a request names no maximum; Bedrock models default to a few hundred. */
  static final long DEFAULT_MAX_OUTPUT_TOKENS = 512;

  private static final String[] MAX_OUTPUT_POINTERS = {
    "/max_tokens",
    "/inferenceConfig/maxTokens",
    "/max_gen_len",
    "/textGenerationConfig/maxTokenCount",
    "/maxTokens"
  };

  private TokenEstimator() {}

  /** Estimated input plus maximum output tokens of one request. */
  public static long estimate(String modelInputJson, JsonNode modelInput) {
    long input = Math.max(1, modelInputJson.length() / 4);
    return input + maxOutputTokens(modelInput);
  }

  static long maxOutputTokens(JsonNode modelInput) {
    if (modelInput != null) {
      for (String pointer : MAX_OUTPUT_POINTERS) {
        JsonNode n = modelInput.at(pointer);
        if (n.canConvertToLong() && n.asLong() > 0) {
          return n.asLong();
        }
      }
      if (modelInput.has("inputText") && !modelInput.has("textGenerationConfig")) {
        return 0; // embeddings produce no output tokens
      }
    }
    return DEFAULT_MAX_OUTPUT_TOKENS;
  }
}
