package dev.quarry.emulator.server;

import dev.quarry.emulator.family.Completion;
import dev.quarry.emulator.wire.BedrockHeaders;
import dev.quarry.emulator.wire.ServiceError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bedrock Runtime's wire: the AWS error shape, and latency and token counts in {@code
 * X-Amzn-Bedrock-*} headers.
 */
final class BedrockWire implements WireDialect {
  static final BedrockWire INSTANCE = new BedrockWire();

  private BedrockWire() {}

  @Override
  public Reply error(ServiceError error) {
    return Reply.error(error);
  }

  @Override
  public Reply ok(byte[] body, Completion completion) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(5);
    headers.add(
        Map.entry(BedrockHeaders.INVOCATION_LATENCY, Long.toString(completion.latencyMillis())));
    headers.add(
        Map.entry(BedrockHeaders.INPUT_TOKEN_COUNT, Integer.toString(completion.inputTokens())));
    headers.add(
        Map.entry(BedrockHeaders.OUTPUT_TOKEN_COUNT, Integer.toString(completion.outputTokens())));
    if (completion.cacheReadInputTokens() > 0) {
      headers.add(
          Map.entry(
              BedrockHeaders.CACHE_READ_INPUT_TOKEN_COUNT,
              Integer.toString(completion.cacheReadInputTokens())));
    }
    if (completion.cacheWriteInputTokens() > 0) {
      headers.add(
          Map.entry(
              BedrockHeaders.CACHE_WRITE_INPUT_TOKEN_COUNT,
              Integer.toString(completion.cacheWriteInputTokens())));
    }
    return Reply.ok(body, headers);
  }
}
