package dev.quarry.emulator.stats;

import dev.quarry.emulator.behavior.Fault;
import java.util.concurrent.atomic.LongAdder;

/** Live, contention-free counters for one requested model id. */
public final class ModelCounters {
  final LongAdder requests = new LongAdder();
  final LongAdder succeeded = new LongAdder();
  final LongAdder throttled = new LongAdder();
  final LongAdder validationErrors = new LongAdder();
  final LongAdder internalServerError = new LongAdder();
  final LongAdder serviceUnavailable = new LongAdder();
  final LongAdder modelTimeout = new LongAdder();
  final LongAdder modelError = new LongAdder();
  final LongAdder droppedConnection = new LongAdder();
  final LongAdder inputTokens = new LongAdder();
  final LongAdder outputTokens = new LongAdder();

  ModelCounters() {}

  /** A request arrived for this model. */
  public void request() {
    requests.increment();
  }

  /** A request was answered 200 with these token counts. */
  public void success(long input, long output) {
    succeeded.increment();
    inputTokens.add(input);
    outputTokens.add(output);
  }

  /** A genuine 400 (bad id, content type or body). */
  public void validationError() {
    validationErrors.increment();
  }

  /** A 429 from the quota buckets. */
  public void throttled() {
    throttled.increment();
  }

  /**
   * An injected or directed failure; 429 and 400 directives count as throttled and validation
   * errors.
   */
  public void fault(Fault fault) {
    switch (fault) {
      case THROTTLED -> throttled.increment();
      case VALIDATION -> validationErrors.increment();
      case INTERNAL_SERVER_ERROR -> internalServerError.increment();
      case SERVICE_UNAVAILABLE -> serviceUnavailable.increment();
      case MODEL_TIMEOUT -> modelTimeout.increment();
      case MODEL_ERROR -> modelError.increment();
      case DROPPED_CONNECTION -> droppedConnection.increment();
    }
  }

  ModelStats snapshot() {
    return new ModelStats(
        requests.sum(),
        succeeded.sum(),
        throttled.sum(),
        validationErrors.sum(),
        new FaultCounts(
            internalServerError.sum(),
            serviceUnavailable.sum(),
            modelTimeout.sum(),
            modelError.sum(),
            droppedConnection.sum()),
        inputTokens.sum(),
        outputTokens.sum());
  }
}
