package dev.quarry.emulator.family;

import dev.quarry.emulator.stats.BodyDigest;

/**
 * Makes up a deterministic completion: the same body always yields the same text and token counts,
 * and the text names both the prompt it answers and the body's digest ({@code Emulated reply to:
 * <prompt excerpt> [a1b2c3d4]}).
 */
public final class CompletionSynthesizer {
  /** Characters of the last user turn quoted in the reply. */
  public static final int EXCERPT_LENGTH = 40;

  /** Fewest tokens a reply has before max tokens cut it. */
  public static final int MIN_NATURAL_OUTPUT_TOKENS = 16;

  /** Most tokens a reply has before max tokens cut it. */
  public static final int MAX_NATURAL_OUTPUT_TOKENS = 256;

  private CompletionSynthesizer() {}

  /** Input tokens for a prompt: about four characters per token, at least one. */
  public static int inputTokens(long promptCharacters) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (promptCharacters + 3) / 4));
  }

  /**
   * The completion for {@code request}, whose body hashed to {@code digest}; latency is set later.
   */
  public static Completion synthesize(ModelRequest request, BodyDigest digest) {
    int promptTokens = inputTokens(request.promptCharacters());
    // Whole tokens only are cached, so the uncached rest never goes negative.
    int cacheRead = (int) Math.min(promptTokens, request.promptCache().readCharacters() / 4);
    int cacheWrite =
        (int) Math.min(promptTokens - cacheRead, request.promptCache().writeCharacters() / 4);
    int inputTokens = promptTokens - cacheRead - cacheWrite;
    if (!request.generatesText()) {
      return new Completion("", inputTokens, 0, false, 0);
    }
    int span = MAX_NATURAL_OUTPUT_TOKENS - MIN_NATURAL_OUTPUT_TOKENS + 1;
    int natural = MIN_NATURAL_OUTPUT_TOKENS + digest.choiceInt() % span;
    int max = request.effectiveMaxTokens();
    boolean cut = natural > max;
    int output = cut ? max : natural;
    String text =
        "Emulated reply to: " + excerpt(request.lastUserText()) + " [" + digest.shortHex() + "]";
    return new Completion(text, inputTokens, output, cut, 0, cacheRead, cacheWrite);
  }

  // The first EXCERPT_LENGTH characters on one line, never splitting a surrogate pair.
  static String excerpt(String text) {
    int end = Math.min(text.length(), EXCERPT_LENGTH);
    if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    StringBuilder out = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }
}
