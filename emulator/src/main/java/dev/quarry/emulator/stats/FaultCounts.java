package dev.quarry.emulator.stats;

/**
 * How many requests failed by each injected-fault kind (names as in the config's {@code faults}
 * section).
 */
public record FaultCounts(
    long internalServerError,
    long serviceUnavailable,
    long modelTimeout,
    long modelError,
    long droppedConnection) {

  /** All zero. */
  public static final FaultCounts NONE = new FaultCounts(0, 0, 0, 0, 0);

  /** Sum over all kinds. */
  public long total() {
    return internalServerError + serviceUnavailable + modelTimeout + modelError + droppedConnection;
  }

  FaultCounts plus(FaultCounts o) {
    return new FaultCounts(
        internalServerError + o.internalServerError,
        serviceUnavailable + o.serviceUnavailable,
        modelTimeout + o.modelTimeout,
        modelError + o.modelError,
        droppedConnection + o.droppedConnection);
  }
}
