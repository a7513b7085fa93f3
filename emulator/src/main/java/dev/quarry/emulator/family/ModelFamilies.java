package dev.quarry.emulator.family;

import dev.quarry.emulator.model.ModelFamilyKind;
import java.util.EnumMap;
import java.util.Map;

/** The family implementation serving each {@link ModelFamilyKind}. */
public final class ModelFamilies {
  private static final Map<ModelFamilyKind, ModelFamily> FAMILIES =
      new EnumMap<>(ModelFamilyKind.class);

  static {
    FAMILIES.put(ModelFamilyKind.ANTHROPIC_CLAUDE, new AnthropicClaudeFamily());
    FAMILIES.put(ModelFamilyKind.AMAZON_NOVA, new AmazonNovaFamily());
    FAMILIES.put(ModelFamilyKind.AMAZON_TITAN_TEXT, new TitanTextFamily());
    FAMILIES.put(ModelFamilyKind.AMAZON_TITAN_EMBED_TEXT, new TitanEmbeddingFamily());
    FAMILIES.put(ModelFamilyKind.META_LLAMA, new MetaLlamaFamily());
    FAMILIES.put(ModelFamilyKind.MISTRAL, new MistralFamily());
  }

  private ModelFamilies() {}

  /** The implementation of {@code kind}. */
  public static ModelFamily of(ModelFamilyKind kind) {
    return FAMILIES.get(kind);
  }
}
