package dev.quarry.emulator.family;

import java.util.OptionalInt;

/**
 * A validated request, reduced to what the emulator needs to answer it: the text to quote, how much
 * prompt there is, the output budget, and how to write the family's response shape.
 */
public final class ModelRequest {
  private final String lastUserText;
  private final long promptCharacters;
  private final int requestedMaxTokens;
  private final int defaultMaxTokens;
  private final boolean generatesText;
  private final ResponseWriter writer;
  private final PromptCache promptCache;

  private ModelRequest(
      String lastUserText,
      long promptCharacters,
      Integer requestedMaxTokens,
      int defaultMaxTokens,
      boolean generatesText,
      ResponseWriter writer,
      PromptCache promptCache) {
    this.lastUserText = lastUserText == null ? "" : lastUserText;
    this.promptCharacters = promptCharacters;
    this.requestedMaxTokens = requestedMaxTokens == null ? 0 : requestedMaxTokens;
    this.defaultMaxTokens = defaultMaxTokens;
    this.generatesText = generatesText;
    this.writer = writer;
    this.promptCache = promptCache;
  }

  /** A text-generation request; {@code requestedMaxTokens} null when the body does not set one. */
  public static ModelRequest text(
      String lastUserText,
      long promptCharacters,
      Integer requestedMaxTokens,
      int defaultMaxTokens,
      ResponseWriter writer) {
    return new ModelRequest(
        lastUserText,
        promptCharacters,
        requestedMaxTokens,
        defaultMaxTokens,
        true,
        writer,
        PromptCache.NONE);
  }

  /** An embedding request: no generated tokens. */
  public static ModelRequest embedding(String inputText, ResponseWriter writer) {
    return new ModelRequest(
        inputText, inputText.length(), null, 0, false, writer, PromptCache.NONE);
  }

  /** The same request with part of its prompt served or stored by the prompt cache. */
  public ModelRequest withPromptCache(PromptCache cache) {
    return new ModelRequest(
        lastUserText,
        promptCharacters,
        requestedMaxTokens,
        defaultMaxTokens,
        generatesText,
        writer,
        cache);
  }

  /**
   * The last user turn's text, quoted in the reply so a test can tell which input an output
   * answers.
   */
  public String lastUserText() {
    return lastUserText;
  }

  /** Characters of prompt text (system and all turns); input tokens are derived from it. */
  public long promptCharacters() {
    return promptCharacters;
  }

  /** The max output tokens the body asks for, if it asks. */
  public OptionalInt requestedMaxTokens() {
    return requestedMaxTokens > 0 ? OptionalInt.of(requestedMaxTokens) : OptionalInt.empty();
  }

  /** The max output tokens in force: the requested one, else the family's default. */
  public int effectiveMaxTokens() {
    return requestedMaxTokens > 0 ? requestedMaxTokens : defaultMaxTokens;
  }

  /** False for embeddings. */
  public boolean generatesText() {
    return generatesText;
  }

  /**
   * What the prompt cache serves and stores of the prompt; {@link PromptCache#NONE} without cache
   * points.
   */
  public PromptCache promptCache() {
    return promptCache;
  }

  public ResponseWriter writer() {
    return writer;
  }
}
