package dev.quarry.job.io;

import dev.quarry.job.progress.JobProgress;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Mutable counts of one output file while it is written; the unit the manifest is summed from. */
final class FileCounts {
  /** Input lines accounted for, blank ones included. */
  long linesSeen;

  /** Lines the input file has, once its end-of-file marker arrived; -1 before. */
  long expectedLines = -1;

  long records;
  long success;
  long errors;
  long inputTokens;
  long outputTokens;

  boolean complete() {
    return expectedLines >= 0 && linesSeen >= expectedLines;
  }

  JobProgress toProgress() {
    return new JobProgress(records, success, errors, inputTokens, outputTokens);
  }

  /** Adds a finished file's counts to a running total. */
  void add(FileCounts other) {
    records += other.records;
    success += other.success;
    errors += other.errors;
    inputTokens += other.inputTokens;
    outputTokens += other.outputTokens;
  }

  FileCounts copy() {
    FileCounts c = new FileCounts();
    c.linesSeen = linesSeen;
    c.expectedLines = expectedLines;
    c.add(this);
    return c;
  }

  void write(DataOutputView out) throws IOException {
    out.writeLong(linesSeen);
    out.writeLong(expectedLines);
    out.writeLong(records);
    out.writeLong(success);
    out.writeLong(errors);
    out.writeLong(inputTokens);
    out.writeLong(outputTokens);
  }

  static FileCounts read(DataInputView in) throws IOException {
    FileCounts c = new FileCounts();
    c.linesSeen = in.readLong();
    c.expectedLines = in.readLong();
    c.records = in.readLong();
    c.success = in.readLong();
    c.errors = in.readLong();
    c.inputTokens = in.readLong();
    c.outputTokens = in.readLong();
    return c;
  }
}
