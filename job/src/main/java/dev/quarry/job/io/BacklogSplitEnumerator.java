package dev.quarry.job.io;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;

/**
 * Hands out input files (one split each) so that every reader has a few queued ahead.
 *
 * <p>Flink's own enumerator gives a reader one file per request, and a reader asks for the next only
 * when it has emitted the last: a round trip to the JobManager and back per file, during which the
 * reader is idle. For sharded inputs of small files that round trip costs more than the file. Here a
 * reader's first request gets {@link #BACKLOG} files and every later one (a reader asks once per file
 * it finishes) tops it up again, so the round trips overlap with reading. Assigned files are part of the
 * reader's checkpointed state, so a restore neither loses nor repeats one; every request gets at least
 * one file while any is left, so a miscount can never leave a reader waiting.
 */
final class BacklogSplitEnumerator
    implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {
  /** Files queued per reader: enough to hide the round trip, few enough that readers end together. */
  static final int BACKLOG = 4;

  private final SplitEnumeratorContext<FileSourceSplit> context;
  private final ArrayDeque<FileSourceSplit> remaining;
  /** Per reader, the files assigned and not yet reported finished, as far as this enumerator knows. */
  private final Map<Integer, Integer> queued = new HashMap<>();

  BacklogSplitEnumerator(SplitEnumeratorContext<FileSourceSplit> context, Collection<FileSourceSplit> splits) {
    this.context = context;
    this.remaining = new ArrayDeque<>(splits);
  }

  @Override
  public void start() {}

  @Override
  public void handleSplitRequest(int subtask, String hostname) {
    if (!context.registeredReaders().containsKey(subtask)) {
      return; // the reader failed meanwhile; its files come back through addSplitsBack
    }
    if (remaining.isEmpty()) {
      context.signalNoMoreSplits(subtask);
      return;
    }
    // A reader's first request means it has nothing; each later one, that it finished a file.
    Integer before = queued.get(subtask);
    int stillQueued = before == null ? 0 : Math.max(0, before - 1);
    int count = Math.min(remaining.size(), Math.max(1, BACKLOG - stillQueued));
    List<FileSourceSplit> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(remaining.poll());
    }
    queued.put(subtask, stillQueued + count);
    context.assignSplits(new SplitsAssignment<>(Map.of(subtask, batch)));
  }

  @Override
  public void addSplitsBack(List<FileSourceSplit> splits, int subtask) {
    // The reader failed and restarts from its last checkpoint without these.
    splits.forEach(remaining::addFirst);
    queued.remove(subtask);
  }

  @Override
  public void addReader(int subtask) {}

  @Override
  public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
    return PendingSplitsCheckpoint.fromCollectionSnapshot(new ArrayList<>(remaining));
  }

  @Override
  public void handleSourceEvent(int subtask, SourceEvent event) {
    throw new IllegalArgumentException("Unexpected source event " + event + " from subtask " + subtask);
  }

  @Override
  public void close() {}
}
