package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.ModelResponse;
import java.util.Set;

/**
 * Meta Llama bodies ({@code prompt}, {@code max_gen_len}, {@code temperature}, {@code top_p}): the
 * prompt's chat template is read back into messages ({@link PromptTurns}); {@code images} cannot be
 * sent. The answer is {@code
 * {"generation","prompt_token_count","generation_token_count","stop_reason"}}.
 */
final class LlamaTranslator implements BedrockBodyTranslator {
  private static final Set<String> TRANSLATED =
      Set.of("prompt", "max_gen_len", "temperature", "top_p");

  @Override
  public UpstreamRequest request(JsonNode input, String upstreamModel) {
    Members.object(input, "modelInput");
    if (input.has("images")) {
      throw new UntranslatableInputException(
          "modelInput.images", "images given beside a prompt string");
    }
    Members.onlyKnown(input, "modelInput", TRANSLATED, Set.of());
    ChatRequest chat = new ChatRequest(upstreamModel);
    for (PromptTurns.Turn turn :
        PromptTurns.of(Members.requiredText(input, "prompt", "modelInput"))) {
      if (turn.role().equals("system")) {
        chat.system(turn.text());
      } else {
        chat.message(turn.role(), turn.text());
      }
    }
    chat.maxTokens(input.get("max_gen_len"), "modelInput.max_gen_len");
    chat.temperature(input.get("temperature"), "modelInput.temperature");
    chat.topP(input.get("top_p"), "modelInput.top_p");
    return chat.build();
  }

  @Override
  public ModelResponse response(JsonNode modelInput, JsonNode upstream, long latencyMillis) {
    ChatCompletion answer = ChatCompletion.parse(upstream);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("generation", answer.text());
    body.put("prompt_token_count", answer.promptTokens());
    body.put("generation_token_count", answer.completionTokens());
    body.put("stop_reason", answer.hitTokenLimit() ? "length" : "stop");
    return new ModelResponse(body.toString(), answer.promptTokens(), answer.completionTokens());
  }
}
