package dev.quarry.job.invoke;

import java.util.concurrent.CompletableFuture;

/** Sends one record's {@code modelInput} to the model: InvokeModel or Converse. */
public interface ModelInvoker {

  /**
   * Starts the call. The future fails with the SDK's exception (or {@link
   * InvalidModelInputException} when the input cannot even be turned into a request).
   */
  CompletableFuture<ModelResponse> invoke(String modelInputJson);
}
