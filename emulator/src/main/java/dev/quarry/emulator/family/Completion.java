package dev.quarry.emulator.family;

/**
 * What the emulated model "generated" for one request: the reply text, token counts, whether the
 * request's max tokens cut it short, and how long it took.
 *
 * @param text the reply, naming the prompt excerpt and body digest it answers
 * @param inputTokens prompt tokens not read from or written to the prompt cache
 * @param outputTokens generated tokens (0 for embeddings)
 * @param hitMaxTokens true when generation stopped at the request's max tokens
 * @param latencyMillis the delay the response is sent after
 * @param cacheReadInputTokens prompt tokens read from the prompt cache
 * @param cacheWriteInputTokens prompt tokens written to the prompt cache
 */
public record Completion(
    String text,
    int inputTokens,
    int outputTokens,
    boolean hitMaxTokens,
    long latencyMillis,
    int cacheReadInputTokens,
    int cacheWriteInputTokens) {

  /** A completion without prompt caching. */
  public Completion(
      String text, int inputTokens, int outputTokens, boolean hitMaxTokens, long latencyMillis) {
    this(text, inputTokens, outputTokens, hitMaxTokens, latencyMillis, 0, 0);
  }

  /** The same completion with its latency set. */
  public Completion withLatency(long millis) {
    return new Completion(
        text,
        inputTokens,
        outputTokens,
        hitMaxTokens,
        millis,
        cacheReadInputTokens,
        cacheWriteInputTokens);
  }
}
