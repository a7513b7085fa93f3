package dev.quarry.job.model;

import java.util.Optional;

/**
 * The InvokeModel request-body families Quarry can translate for an OpenAI-compatible server, by
 * foundation-model id prefix. Unlike {@link InvokeModelFamilies}, which is configuration, each
 * entry here is code: a translator exists for it.
 */
public enum InvokeBodyFamily {
  /**
   * Anthropic Claude Messages ({@code anthropic_version}, {@code messages}, {@code max_tokens}).
   */
  ANTHROPIC_CLAUDE("anthropic.claude"),
  /** Amazon Nova ({@code messages} of content blocks, {@code inferenceConfig}). */
  AMAZON_NOVA("amazon.nova"),
  /** Amazon Titan Text ({@code inputText}, {@code textGenerationConfig}). */
  AMAZON_TITAN_TEXT("amazon.titan-text"),
  /** Amazon Titan Text Embeddings ({@code inputText}, {@code dimensions}, {@code normalize}). */
  AMAZON_TITAN_EMBED_TEXT("amazon.titan-embed-text"),
  /** Meta Llama ({@code prompt}, {@code max_gen_len}). */
  META_LLAMA("meta.llama"),
  /** Mistral ({@code prompt} or {@code messages}, {@code max_tokens}). */
  MISTRAL("mistral.");

  private final String prefix;

  InvokeBodyFamily(String prefix) {
    this.prefix = prefix;
  }

  /** The foundation-model id prefix, which is also how configuration names the family. */
  public String prefix() {
    return prefix;
  }

  /**
   * The family of a model id (bare, profile or ARN) or of a configured prefix, if Quarry translates
   * it.
   */
  public static Optional<InvokeBodyFamily> of(String modelIdOrPrefix) {
    Optional<String> model = FoundationModel.of(modelIdOrPrefix);
    if (model.isEmpty()) {
      return Optional.empty();
    }
    for (InvokeBodyFamily family : values()) {
      if (model.get().startsWith(family.prefix)) {
        return Optional.of(family);
      }
    }
    return Optional.empty();
  }

  /** The configured names, for messages. */
  public static String names() {
    StringBuilder out = new StringBuilder();
    for (InvokeBodyFamily family : values()) {
      out.append(out.length() == 0 ? "" : ", ").append(family.prefix);
    }
    return out.toString();
  }
}
