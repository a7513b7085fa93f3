package dev.quarry.job.spec;

/** Who answers a job's model calls. */
public enum ModelProvider {
  /** Bedrock Runtime (or its emulator): InvokeModel and Converse as they are. */
  BEDROCK("bedrock"),
  /**
   * A server speaking OpenAI's chat completions and embeddings (vLLM, Ollama, TGI, LiteLLM,
   * OpenAI).
   */
  OPENAI_COMPATIBLE("openai-compatible");

  private final String configName;

  ModelProvider(String configName) {
    this.configName = configName;
  }

  /** The name configuration uses. */
  public String configName() {
    return configName;
  }

  /** Parses a configured name. */
  public static ModelProvider fromConfigName(String value) {
    for (ModelProvider p : values()) {
      if (p.configName.equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "provider must be bedrock or openai-compatible, was '" + value + "'");
  }
}
