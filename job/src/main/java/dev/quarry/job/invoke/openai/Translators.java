package dev.quarry.job.invoke.openai;

import dev.quarry.job.model.InvokeBodyFamily;
import dev.quarry.job.spec.InvocationType;

/** The translator for a job: Converse, or the InvokeModel family its route or model id names. */
final class Translators {
  private Translators() {}

  /**
   * @param invokeFamily the route's family prefix, or {@code null} to read it from {@code modelId}
   * @throws IllegalArgumentException when an InvokeModel job's family has no translator
   */
  static BedrockBodyTranslator forJob(InvocationType type, String modelId, String invokeFamily) {
    if (type == InvocationType.CONVERSE) {
      return new ConverseTranslator();
    }
    String familyOf = invokeFamily != null ? invokeFamily : modelId;
    InvokeBodyFamily family =
        InvokeBodyFamily.of(familyOf)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "No InvokeModel body family for "
                            + familyOf
                            + " on an OpenAI-compatible route; families: "
                            + InvokeBodyFamily.names()));
    return switch (family) {
      case ANTHROPIC_CLAUDE -> new ClaudeMessagesTranslator();
      case AMAZON_NOVA -> new NovaTranslator();
      case AMAZON_TITAN_TEXT -> new TitanTextTranslator();
      case AMAZON_TITAN_EMBED_TEXT -> new TitanEmbeddingsTranslator();
      case META_LLAMA -> new LlamaTranslator();
      case MISTRAL -> new MistralTranslator();
    };
  }
}
