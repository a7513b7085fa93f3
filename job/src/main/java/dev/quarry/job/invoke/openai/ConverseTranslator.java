package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.BatchConverseRules;
import dev.quarry.job.invoke.ModelResponse;
import java.util.Set;

/**
 * Converse bodies, after the batch Converse rules: {@code additionalModelRequestFields} go to the
 * server as they are (it judges them, as the Bedrock model would); {@code requestMetadata}, {@code
 * performanceConfig} and {@code serviceTier} are left out; guardrails, prompt variables and tools
 * cannot be sent. The answer is a Converse response with {@code usage} and {@code
 * metrics.latencyMs}.
 */
final class ConverseTranslator implements BedrockBodyTranslator {
  private static final Set<String> TRANSLATED =
      Set.of("messages", "system", "inferenceConfig", "additionalModelRequestFields");
  private static final Set<String> LEFT_OUT =
      Set.of("requestMetadata", "performanceConfig", "serviceTier");

  @Override
  public UpstreamRequest request(JsonNode input, String upstreamModel) {
    BatchConverseRules.check(input);
    Members.onlyKnown(input, "modelInput", TRANSLATED, LEFT_OUT);
    ChatRequest chat = new ChatRequest(upstreamModel);
    ConverseStyleRequest.conversation(input, chat);
    ConverseStyleRequest.inference(input.get("inferenceConfig"), chat, Set.of());
    chat.extra(
        input.get("additionalModelRequestFields"), "modelInput.additionalModelRequestFields");
    return chat.build();
  }

  @Override
  public ModelResponse response(JsonNode modelInput, JsonNode upstream, long latencyMillis) {
    ChatCompletion answer = ChatCompletion.parse(upstream);
    ObjectNode body = NovaTranslator.converseShape(answer);
    body.putObject("metrics").put("latencyMs", latencyMillis);
    return new ModelResponse(body.toString(), answer.promptTokens(), answer.completionTokens());
  }
}
