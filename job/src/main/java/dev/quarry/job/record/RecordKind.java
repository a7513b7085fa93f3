package dev.quarry.job.record;

/** What an element on the data path stands for. */
public enum RecordKind {
  /** A well-formed record to send to the model. */
  RECORD,
  /** A line that cannot be sent (malformed, too long, duplicate id): it becomes an error line. */
  INVALID,
  /** A blank line: counted so the writer knows when a file is complete, but never written. */
  BLANK,
  /** The marker after a file's last line, carrying the file's line count. */
  END_OF_FILE,
  /**
   * A line read again after a restore ({@link SourceLine#replayed}): its {@code recordId}, if it
   * was a record, for the duplicate check, which drops it.
   */
  REPLAYED_ID
}
