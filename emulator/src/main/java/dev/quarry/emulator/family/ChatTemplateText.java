package dev.quarry.emulator.family;

/**
 * Finds the last user turn inside a raw completion prompt written in a chat template, so the reply
 * quotes what the user said rather than template tokens: Llama 3 ({@code
 * <|start_header_id|>user<|end_header_id|>…<|eot_id|>}), Llama 2 and Mistral ({@code [INST] …
 * [/INST]}). A prompt without a template is quoted as it is.
 */
final class ChatTemplateText {
  private static final String LLAMA3_USER = "<|start_header_id|>user<|end_header_id|>";
  private static final String LLAMA3_END = "<|eot_id|>";
  private static final String INST_OPEN = "[INST]";
  private static final String INST_CLOSE = "[/INST]";

  private ChatTemplateText() {}

  static String lastUserTurn(String prompt) {
    int llama3 = prompt.lastIndexOf(LLAMA3_USER);
    if (llama3 >= 0) {
      int from = llama3 + LLAMA3_USER.length();
      int end = prompt.indexOf(LLAMA3_END, from);
      return prompt.substring(from, end < 0 ? prompt.length() : end).strip();
    }
    int inst = prompt.lastIndexOf(INST_OPEN);
    if (inst >= 0) {
      int from = inst + INST_OPEN.length();
      int end = prompt.indexOf(INST_CLOSE, from);
      String turn = prompt.substring(from, end < 0 ? prompt.length() : end);
      // Llama 2 puts the system prompt inside the first [INST] block.
      int sysEnd = turn.indexOf("<</SYS>>");
      if (sysEnd >= 0) {
        turn = turn.substring(sysEnd + "<</SYS>>".length());
      }
      return turn.strip();
    }
    return prompt.startsWith("<s>") ? prompt.substring(3).strip() : prompt.strip();
  }
}
