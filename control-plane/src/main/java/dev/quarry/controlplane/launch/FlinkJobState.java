package dev.quarry.controlplane.launch;

/**
 * What the Flink cluster says about a launched job.
 *
 * @param phase where the job is
 * @param failureCause why it failed (for {@link Phase#FAILED}), else {@code null}
 */
public record FlinkJobState(Phase phase, String failureCause) {

  /** The phases the lifecycle distinguishes. */
  public enum Phase {
    /** Being scheduled, running, restarting after a task failure, or finishing. */
    RUNNING,
    /** All input processed and committed (or stopped with a draining savepoint). */
    FINISHED,
    /** Failed beyond its restart budget. */
    FAILED,
    /** Cancelled without a savepoint. */
    CANCELED,
    /** The cluster does not know the job (e.g. the embedded cluster restarted). */
    UNKNOWN
  }

  public static FlinkJobState of(Phase phase) {
    return new FlinkJobState(phase, null);
  }

  public static FlinkJobState failed(String cause) {
    return new FlinkJobState(Phase.FAILED, cause);
  }
}
