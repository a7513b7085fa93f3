package dev.quarry.controlplane.lifecycle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when to ask Flink for a checkpoint for a job whose records are all processed but that has
 * not finished: its output is committed by the next checkpoint that completes. Flink triggers one
 * as soon as every task has reached the end of its input, but a task that is closing at that moment
 * declines it, and the job would then wait a whole checkpoint interval (10 s by default) to finish.
 *
 * <p>Counts wall time on its own monotonic clock: this is a nudge for latency, not a deadline of
 * the job.
 */
final class FinishNudge {
  /** How long the end-of-input checkpoint gets before Quarry asks for another. */
  static final long GRACE_NANOS = 1_000_000_000L;

  /** How often to ask again while the job still runs. */
  static final long REPEAT_NANOS = 2_000_000_000L;

  /**
   * When a job was first seen with every record processed, and when a checkpoint was last asked for
   * it.
   */
  private record Seen(long doneSinceNanos, long askedNanos) {}

  private final Map<String, Seen> jobs = new ConcurrentHashMap<>();

  /** The job has processed every record; true when a checkpoint should be asked for now. */
  boolean due(String jobId, long nowNanos) {
    Seen seen = jobs.computeIfAbsent(jobId, id -> new Seen(nowNanos, nowNanos - REPEAT_NANOS));
    if (nowNanos - seen.doneSinceNanos() < GRACE_NANOS
        || nowNanos - seen.askedNanos() < REPEAT_NANOS) {
      return false;
    }
    jobs.put(jobId, new Seen(seen.doneSinceNanos(), nowNanos));
    return true;
  }

  /** The job is no longer running (or not done): start over if it is seen done again. */
  void forget(String jobId) {
    jobs.remove(jobId);
  }
}
