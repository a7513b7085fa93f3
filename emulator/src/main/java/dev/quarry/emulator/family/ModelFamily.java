package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.model.ModelId;

/** One model family's InvokeModel contract: what a valid body is and what the answer looks like. */
public interface ModelFamily {
  /**
   * Validates an InvokeModel body and reduces it; throws a ValidationException {@code ServiceError}
   * if invalid.
   */
  ModelRequest parseInvoke(JsonNode body, ModelId modelId);

  /** Whether the family's models can be called through Converse. */
  boolean supportsConverse();

  /** Max output tokens the family's models use when a request sets none. */
  int defaultMaxTokens();
}
