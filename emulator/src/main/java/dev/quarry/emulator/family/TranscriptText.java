package dev.quarry.emulator.family;

/**
 * Accumulates the prompt text of a conversation while a family walks it: total length and the last
 * user turn.
 */
final class TranscriptText {
  private long characters;
  private String lastUserText = "";

  void system(String text) {
    if (text != null) {
      characters += text.length();
    }
  }

  void turn(String role, String text) {
    characters += text.length();
    if ("user".equals(role)) {
      lastUserText = text;
    }
  }

  long characters() {
    return characters;
  }

  String lastUserText() {
    return lastUserText;
  }
}
