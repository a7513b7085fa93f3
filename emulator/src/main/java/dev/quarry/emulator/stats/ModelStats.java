package dev.quarry.emulator.stats;

/**
 * Counts for one model id (or the totals) at the moment of a snapshot. Every request ends in
 * exactly one of succeeded, throttled, validationErrors or one of the faults, once it has been
 * answered.
 */
public record ModelStats(
    long requests,
    long succeeded,
    long throttled,
    long validationErrors,
    FaultCounts faults,
    long inputTokens,
    long outputTokens) {

  /** All zero. */
  public static final ModelStats EMPTY = new ModelStats(0, 0, 0, 0, FaultCounts.NONE, 0, 0);

  /** Requests failed by injected or directed 500/503/408/424 or a dropped connection. */
  public long faulted() {
    return faults.total();
  }

  ModelStats plus(ModelStats o) {
    return new ModelStats(
        requests + o.requests,
        succeeded + o.succeeded,
        throttled + o.throttled,
        validationErrors + o.validationErrors,
        faults.plus(o.faults),
        inputTokens + o.inputTokens,
        outputTokens + o.outputTokens);
  }
}
