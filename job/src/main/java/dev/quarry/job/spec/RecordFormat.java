package dev.quarry.job.spec;

import java.util.Optional;

/**
 * How a job's input lines read and its output lines are written: Bedrock's batch records, or the
 * request lines of OpenAI's Batch API for one of its endpoints.
 */
public enum RecordFormat {
  /**
   * {@code {"recordId","modelInput"}} in; {@code {"recordId","modelInput","modelOutput"|"error"}}
   * out, one {@code <input>.out} per input file.
   */
  BEDROCK(null),
  /**
   * {@code {"custom_id","method","url","body"}} lines for {@code /v1/chat/completions} in; OpenAI's
   * output lines out, successes in {@code <input>.out} and failures in {@code <input>.errors.out}.
   */
  OPENAI_CHAT_COMPLETIONS("/v1/chat/completions"),
  /** As {@link #OPENAI_CHAT_COMPLETIONS}, for {@code /v1/embeddings}. */
  OPENAI_EMBEDDINGS("/v1/embeddings");

  private final String openAiEndpoint;

  RecordFormat(String openAiEndpoint) {
    this.openAiEndpoint = openAiEndpoint;
  }

  /** The OpenAI endpoint every line names in its {@code url}, or {@code null} for Bedrock. */
  public String openAiEndpoint() {
    return openAiEndpoint;
  }

  /** Whether lines are OpenAI Batch API request lines. */
  public boolean isOpenAiBatch() {
    return openAiEndpoint != null;
  }

  /** The format of an OpenAI batch on {@code endpoint}, if Quarry runs that endpoint. */
  public static Optional<RecordFormat> forOpenAiEndpoint(String endpoint) {
    for (RecordFormat format : values()) {
      if (format.openAiEndpoint != null && format.openAiEndpoint.equals(endpoint)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
