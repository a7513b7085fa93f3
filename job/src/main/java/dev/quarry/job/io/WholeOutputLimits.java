package dev.quarry.job.io;

/**
 * How much output the writer keeps whole, in memory and in checkpoints, rather than streaming it
 * through the file system's RecoverableWriter.
 *
 * @param perFile an output up to this size stays whole until committed; it bounds the writer's
 *     memory and state to this much per open file (many files are open at once only while each is
 *     small)
 * @param perCheckpoint whole outputs handed to the committer per checkpoint; they stay in the
 *     committer's state until the checkpoint completes, so past this finished outputs are streamed
 *     like large ones and a fast job of small files does not carry its whole output through every
 *     checkpoint
 */
record WholeOutputLimits(int perFile, long perCheckpoint) {
  static final WholeOutputLimits DEFAULT = new WholeOutputLimits(64 * 1024, 32L * 1024 * 1024);

  WholeOutputLimits {
    if (perFile < 0 || perCheckpoint < 0) {
      throw new IllegalArgumentException(
          "limits must not be negative: " + perFile + ", " + perCheckpoint);
    }
  }
}
