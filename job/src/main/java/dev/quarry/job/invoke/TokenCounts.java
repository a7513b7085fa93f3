package dev.quarry.job.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Reads token counts from where Bedrock puts them: response headers first, then the body's usage
 * block.
 */
final class TokenCounts {
  static final String INPUT_HEADER = "X-Amzn-Bedrock-Input-Token-Count";
  static final String OUTPUT_HEADER = "X-Amzn-Bedrock-Output-Token-Count";

  private TokenCounts() {}

  static long input(SdkHttpResponse http, JsonNode body) {
    return header(http, INPUT_HEADER)
        .orElseGet(
            () ->
                firstNumber(
                    body,
                    "/usage/input_tokens",
                    "/usage/inputTokens",
                    "/inputTextTokenCount",
                    "/prompt_token_count",
                    "/usage/prompt_tokens"));
  }

  static long output(SdkHttpResponse http, JsonNode body) {
    return header(http, OUTPUT_HEADER)
        .orElseGet(
            () ->
                firstNumber(
                    body,
                    "/usage/output_tokens",
                    "/usage/outputTokens",
                    "/results/0/tokenCount",
                    "/generation_token_count",
                    "/usage/completion_tokens"));
  }

  private static Optional<Long> header(SdkHttpResponse http, String name) {
    if (http == null) {
      return Optional.empty();
    }
    return http.firstMatchingHeader(name).flatMap(TokenCounts::parseLong);
  }

  private static Optional<Long> parseLong(String value) {
    try {
      return Optional.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long firstNumber(JsonNode body, String... pointers) {
    if (body == null) {
      return 0;
    }
    for (String pointer : pointers) {
      JsonNode n = body.at(pointer);
      if (n.canConvertToLong()) {
        return n.asLong();
      }
    }
    return 0;
  }
}
