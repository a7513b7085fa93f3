package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.ModelResponse;
import java.util.Set;

/**
 * Mistral bodies in both Bedrock forms. The prompt form ({@code prompt}, {@code max_tokens}, {@code
 * stop}, {@code temperature}, {@code top_p}; {@code top_k} left out) answers {@code
 * {"outputs":[{"text","stop_reason"}]}}; the chat form of Mistral Large ({@code messages} of text)
 * answers {@code {"choices":[{"index","message","stop_reason"}]}}. Tools cannot be sent.
 */
final class MistralTranslator implements BedrockBodyTranslator {
  private static final Set<String> TRANSLATED =
      Set.of("prompt", "messages", "max_tokens", "stop", "temperature", "top_p");
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");

  @Override
  public UpstreamRequest request(JsonNode input, String upstreamModel) {
    Members.object(input, "modelInput");
    Members.onlyKnown(input, "modelInput", TRANSLATED, Set.of("top_k"));
    ChatRequest chat = new ChatRequest(upstreamModel);
    if (input.has("messages")) {
      messages(input.get("messages"), chat);
    } else {
      for (PromptTurns.Turn turn :
          PromptTurns.of(Members.requiredText(input, "prompt", "modelInput"))) {
        if (turn.role().equals("system")) {
          chat.system(turn.text());
        } else {
          chat.message(turn.role(), turn.text());
        }
      }
    }
    chat.maxTokens(input.get("max_tokens"), "modelInput.max_tokens");
    chat.temperature(input.get("temperature"), "modelInput.temperature");
    chat.topP(input.get("top_p"), "modelInput.top_p");
    chat.stop(input.get("stop"), "modelInput.stop");
    return chat.build();
  }

  private static void messages(JsonNode messages, ChatRequest chat) {
    if (!messages.isArray() || messages.isEmpty()) {
      throw new InvalidModelInputException("modelInput.messages must be a non-empty array");
    }
    for (int i = 0; i < messages.size(); i++) {
      String where = "modelInput.messages[" + i + "]";
      JsonNode message = Members.object(messages.get(i), where);
      String role = message.path("role").asText("");
      if (role.equals("tool") || message.has("tool_calls")) {
        throw new UntranslatableInputException(where, "a tool call or tool result");
      }
      if (!ROLES.contains(role)) {
        throw new InvalidModelInputException(where + ".role must be system, user or assistant");
      }
      String text = Members.requiredText(message, "content", where);
      if (role.equals("system")) {
        chat.system(text);
      } else {
        chat.message(role, text);
      }
    }
  }

  @Override
  public ModelResponse response(JsonNode modelInput, JsonNode upstream, long latencyMillis) {
    ChatCompletion answer = ChatCompletion.parse(upstream);
    String stopReason = answer.hitTokenLimit() ? "length" : "stop";
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (modelInput.has("messages")) {
      ObjectNode choice = body.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", answer.text());
      choice.put("stop_reason", stopReason);
    } else {
      body.putArray("outputs")
          .addObject()
          .put("text", answer.text())
          .put("stop_reason", stopReason);
    }
    return new ModelResponse(body.toString(), answer.promptTokens(), answer.completionTokens());
  }
}
