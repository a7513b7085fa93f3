package dev.quarry.emulator.behavior;

import dev.quarry.emulator.config.FaultRates;
import java.util.Optional;

/**
 * Picks the injected fault, if any, for one request from a single uniform draw against the
 * configured rates.
 */
public final class FaultInjector {
  private FaultInjector() {}

  /**
   * Lays the rates end to end on [0, 1) and returns the fault whose interval contains {@code
   * uniform}; a single draw makes each kind occur at exactly its rate instead of being shadowed by
   * the kinds checked before it.
   */
  public static Optional<Fault> pick(FaultRates rates, double uniform) {
    double edge = rates.droppedConnection();
    if (uniform < edge) {
      return Optional.of(Fault.DROPPED_CONNECTION);
    }
    edge += rates.internalServerError();
    if (uniform < edge) {
      return Optional.of(Fault.INTERNAL_SERVER_ERROR);
    }
    edge += rates.serviceUnavailable();
    if (uniform < edge) {
      return Optional.of(Fault.SERVICE_UNAVAILABLE);
    }
    edge += rates.modelTimeout();
    if (uniform < edge) {
      return Optional.of(Fault.MODEL_TIMEOUT);
    }
    edge += rates.modelError();
    if (uniform < edge) {
      return Optional.of(Fault.MODEL_ERROR);
    }
    return Optional.empty();
  }
}
