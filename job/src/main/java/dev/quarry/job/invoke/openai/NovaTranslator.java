package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.ModelResponse;
import java.util.Set;

/**
 * Amazon Nova InvokeModel bodies ({@code schemaVersion}, {@code system}, {@code messages}, {@code
 * inferenceConfig}); {@code topK} is left out (chat completions has no such setting). The answer is
 * Nova's {@code {"output":{"message"},"stopReason","usage"}}.
 */
final class NovaTranslator implements BedrockBodyTranslator {
  private static final Set<String> TRANSLATED = Set.of("messages", "system", "inferenceConfig");
  private static final Set<String> LEFT_OUT = Set.of("schemaVersion");

  @Override
  public UpstreamRequest request(JsonNode input, String upstreamModel) {
    Members.object(input, "modelInput");
    Members.onlyKnown(input, "modelInput", TRANSLATED, LEFT_OUT);
    ChatRequest chat = new ChatRequest(upstreamModel);
    ConverseStyleRequest.conversation(input, chat);
    ConverseStyleRequest.inference(input.get("inferenceConfig"), chat, Set.of("topK", "top_k"));
    return chat.build();
  }

  @Override
  public ModelResponse response(JsonNode modelInput, JsonNode upstream, long latencyMillis) {
    ChatCompletion answer = ChatCompletion.parse(upstream);
    return new ModelResponse(
        converseShape(answer).toString(), answer.promptTokens(), answer.completionTokens());
  }

  /** {@code output.message}, {@code stopReason} and {@code usage}, as Nova and Converse answer. */
  static ObjectNode converseShape(ChatCompletion answer) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode message = body.putObject("output").putObject("message");
    message.put("role", "assistant");
    message.putArray("content").addObject().put("text", answer.text());
    body.put("stopReason", ConverseStyleRequest.stopReason(answer));
    ObjectNode usage = body.putObject("usage");
    usage.put("inputTokens", answer.promptTokens());
    usage.put("outputTokens", answer.completionTokens());
    usage.put("totalTokens", answer.promptTokens() + answer.completionTokens());
    return body;
  }
}
