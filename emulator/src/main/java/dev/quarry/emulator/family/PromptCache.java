package dev.quarry.emulator.family;

/**
 * How much of a prompt the emulated prompt cache serves and stores, in characters of prompt text.
 * The emulator's cache is stateless so that equal bodies get equal answers: the prompt up to the
 * last {@code cachePoint} in the system prompt counts as read from the cache (as if an earlier
 * request with the same system prompt had written it), and what follows up to the last {@code
 * cachePoint} in the messages counts as written.
 *
 * @param readCharacters prompt characters read from the cache
 * @param writeCharacters prompt characters written to the cache
 */
public record PromptCache(long readCharacters, long writeCharacters) {
  /** A request without cache points. */
  public static final PromptCache NONE = new PromptCache(0, 0);

  public PromptCache {
    if (readCharacters < 0 || writeCharacters < 0) {
      throw new IllegalArgumentException("cached characters cannot be negative");
    }
  }

  /**
   * From the prompt offsets of the last system and the last message cache point (-1 where there is
   * none).
   */
  static PromptCache of(long lastSystemCachePoint, long lastMessageCachePoint) {
    long read = Math.max(0, lastSystemCachePoint);
    long write = Math.max(0, lastMessageCachePoint - read);
    return new PromptCache(read, write);
  }
}
