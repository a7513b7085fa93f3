package dev.quarry.job.io;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * A reader's report to {@link BacklogSplitEnumerator} that it finished {@code files} more input
 * files: one message for several files instead of a split request per file.
 *
 * @param files files finished since the reader's last report, at least one
 */
record FilesFinished(int files) implements SourceEvent {
  FilesFinished {
    if (files < 1) {
      throw new IllegalArgumentException("a report covers at least one file, not " + files);
    }
  }
}
