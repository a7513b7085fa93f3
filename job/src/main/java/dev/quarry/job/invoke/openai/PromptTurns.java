package dev.quarry.job.invoke.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conversation inside a prompt string that already carries a model's chat template, as Llama
 * and Mistral InvokeModel bodies do, so that a chat-completions server (which applies its own
 * template) gets messages rather than a template wrapped in another. Llama 3 header tokens and the
 * {@code [INST]} form of Llama 2 and Mistral (with Llama 2's {@code <<SYS>>}) are understood; a
 * prompt in neither form is one user message.
 */
final class PromptTurns {
  private static final Pattern LLAMA3_TURN =
      Pattern.compile(
          "<\\|start_header_id\\|>(.*?)<\\|end_header_id\\|>(.*?)(?:<\\|eot_id\\|>|(?=<\\|start_header_id\\|>)|$)",
          Pattern.DOTALL);
  private static final Pattern INST = Pattern.compile("\\[INST\\](.*?)\\[/INST\\]", Pattern.DOTALL);
  private static final Pattern SYS = Pattern.compile("<<SYS>>(.*?)<</SYS>>", Pattern.DOTALL);

  /** One turn: {@code system}, {@code user} or {@code assistant}, and its text. */
  record Turn(String role, String text) {}

  private PromptTurns() {}

  static List<Turn> of(String prompt) {
    if (prompt.contains("<|start_header_id|>")) {
      return llama3(prompt);
    }
    if (prompt.contains("[INST]")) {
      return inst(prompt);
    }
    return List.of(new Turn("user", prompt));
  }

  private static List<Turn> llama3(String prompt) {
    List<Turn> turns = new ArrayList<>();
    Matcher m = LLAMA3_TURN.matcher(prompt);
    while (m.find()) {
      String role = m.group(1).strip();
      String text = m.group(2).strip();
      if (!role.equals("system") && !role.equals("user") && !role.equals("assistant")) {
        throw new UntranslatableInputException("modelInput.prompt", "a turn of role " + role);
      }
      turns.add(new Turn(role, text));
    }
    return withoutGenerationPrompt(turns);
  }

  private static List<Turn> inst(String prompt) {
    String text = prompt.replace("<s>", "").replace("</s>", "");
    List<Turn> turns = new ArrayList<>();
    Matcher m = INST.matcher(text);
    int end = 0;
    while (m.find()) {
      addAssistant(turns, text.substring(end, m.start()));
      String user = m.group(1);
      Matcher sys = SYS.matcher(user);
      if (turns.isEmpty() && sys.find()) {
        turns.add(new Turn("system", sys.group(1).strip()));
        user = user.substring(0, sys.start()) + user.substring(sys.end());
      }
      turns.add(new Turn("user", user.strip()));
      end = m.end();
    }
    addAssistant(turns, text.substring(end));
    return turns;
  }

  private static void addAssistant(List<Turn> turns, String between) {
    String text = between.strip();
    if (!text.isEmpty()) {
      turns.add(new Turn(turns.isEmpty() ? "user" : "assistant", text));
    }
  }

  // The template ends with an empty assistant header for the model to fill: the server adds its
  // own.
  private static List<Turn> withoutGenerationPrompt(List<Turn> turns) {
    if (!turns.isEmpty()) {
      Turn last = turns.get(turns.size() - 1);
      if (last.role().equals("assistant") && last.text().isEmpty()) {
        turns.remove(turns.size() - 1);
      }
    }
    return turns;
  }
}
