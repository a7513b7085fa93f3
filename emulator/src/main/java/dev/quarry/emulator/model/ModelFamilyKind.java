package dev.quarry.emulator.model;

import java.util.Optional;

/** The model families the emulator speaks, recognized from a foundation-model id's prefix. */
public enum ModelFamilyKind {
  ANTHROPIC_CLAUDE("anthropic.claude"),
  AMAZON_NOVA("amazon.nova"),
  AMAZON_TITAN_TEXT("amazon.titan-text"),
  AMAZON_TITAN_EMBED_TEXT("amazon.titan-embed-text"),
  META_LLAMA("meta.llama"),
  MISTRAL("mistral.");

  private final String idPrefix;

  ModelFamilyKind(String idPrefix) {
    this.idPrefix = idPrefix;
  }

  /** The family whose id prefix starts {@code foundationModelId}, if any. */
  public static Optional<ModelFamilyKind> of(String foundationModelId) {
    for (ModelFamilyKind kind : values()) {
      if (foundationModelId.startsWith(kind.idPrefix) && !isNonTextNova(foundationModelId)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  // Nova Canvas (images), Reel (video) and Sonic (speech) share the prefix but not the text request
  // schema.
  private static boolean isNonTextNova(String id) {
    return id.startsWith("amazon.nova-canvas")
        || id.startsWith("amazon.nova-reel")
        || id.startsWith("amazon.nova-sonic");
  }

  /** The prefix of foundation-model ids in this family. */
  public String idPrefix() {
    return idPrefix;
  }
}
