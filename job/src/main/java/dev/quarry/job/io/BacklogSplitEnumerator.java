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
 * <p>Flink's own enumerator gives a reader one file per request, and a reader asks for the next
 * only when it has emitted the last: a round trip to the JobManager and back per file, during which
 * the reader is idle. For sharded inputs of small files that round trip costs more than the file.
 * Here a reader's first request gets {@link #BACKLOG} files, and each {@link FilesFinished} report
 * ({@link ConcurrentFileReader} sends one per {@link #REPORT_EVERY} files it finishes, and when it
 * has none left) tops it up again in one assignment, so the round trips overlap with reading and
 * there are a few per batch of files, not two per file (each is an RPC both ways, with the splits
 * serialized: 7 % of a 2,000-file job's CPU while it ran, in a profile). A plain split request
 * still counts as one finished file. Assigned files are part of the reader's checkpointed state, so
 * a restore neither loses nor repeats one.
 *
 * <p>"No more files" goes to a reader only once it has finished all it was given, as with Flink's
 * own enumerator: told earlier, a reader can end its input while a fetcher is still shutting down,
 * and Flink 2.3 may then wait 30 s for it (seen here). The count of files a reader still has is
 * kept from its requests; should it ever be too high, a reader silent for {@link
 * #QUIET_READER_MILLIS} after the last file was handed out is told anyway, so a miscount costs
 * time, never a stuck job.
 */
final class BacklogSplitEnumerator
    implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {
  /** Files a reader finishes before it reports them: one per fetcher. */
  static final int REPORT_EVERY = ConcurrentFileReader.FETCHERS;

  /**
   * Files queued per reader: after a report is sent the reader still has two per fetcher, so none
   * waits for the round trip; few enough that readers end together.
   */
  static final int BACKLOG = REPORT_EVERY + 2 * ConcurrentFileReader.FETCHERS;

  /** How long a reader that should still have files may stay silent once all are handed out. */
  static final long QUIET_READER_MILLIS = 60_000;

  private final SplitEnumeratorContext<FileSourceSplit> context;
  private final ArrayDeque<FileSourceSplit> remaining;

  /**
   * Per reader, the files assigned and not yet reported finished, as far as this enumerator knows.
   */
  private final Map<Integer, Integer> queued = new HashMap<>();

  private final Map<Integer, Long> lastRequestMillis = new HashMap<>();

  BacklogSplitEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context, Collection<FileSourceSplit> splits) {
    this.context = context;
    this.remaining = new ArrayDeque<>(splits);
  }

  @Override
  public void start() {
    context.callAsync(
        () -> null,
        (ignored, error) -> releaseQuietReaders(System.currentTimeMillis()),
        QUIET_READER_MILLIS,
        QUIET_READER_MILLIS);
  }

  /** A reader's first request means it has nothing; each later one, that it finished a file. */
  @Override
  public void handleSplitRequest(int subtask, String hostname) {
    topUp(subtask, 1);
  }

  @Override
  public void handleSourceEvent(int subtask, SourceEvent event) {
    if (!(event instanceof FilesFinished finished)) {
      throw new IllegalArgumentException(
          "Unexpected source event " + event + " from subtask " + subtask);
    }
    topUp(subtask, finished.files());
  }

  /**
   * Counts {@code finished} files off the reader's queue and hands it at least as many again, up to
   * {@link #BACKLOG}; tells it there are no more once it has none left and none remain.
   */
  private void topUp(int subtask, int finished) {
    if (!context.registeredReaders().containsKey(subtask)) {
      return; // the reader failed meanwhile; its files come back through addSplitsBack
    }
    lastRequestMillis.put(subtask, System.currentTimeMillis());
    Integer before = queued.get(subtask);
    int stillQueued = before == null ? 0 : Math.max(0, before - finished);
    if (remaining.isEmpty()) {
      queued.put(subtask, stillQueued);
      if (stillQueued == 0) {
        context.signalNoMoreSplits(subtask);
      }
      return;
    }
    // At least one file per file finished, so a count that is too high never starves a reader.
    int count = Math.min(remaining.size(), Math.max(finished, BACKLOG - stillQueued));
    List<FileSourceSplit> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(remaining.poll());
    }
    queued.put(subtask, stillQueued + count);
    context.assignSplits(new SplitsAssignment<>(Map.of(subtask, batch)));
  }

  /**
   * Tells readers that have been silent too long, once every file is handed out, that there are no
   * more.
   */
  void releaseQuietReaders(long nowMillis) {
    if (!remaining.isEmpty()) {
      return;
    }
    for (Map.Entry<Integer, Integer> reader : queued.entrySet()) {
      long last = lastRequestMillis.getOrDefault(reader.getKey(), 0L);
      if (reader.getValue() > 0
          && nowMillis - last >= QUIET_READER_MILLIS
          && context.registeredReaders().containsKey(reader.getKey())) {
        reader.setValue(0);
        context.signalNoMoreSplits(reader.getKey());
      }
    }
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
  public void close() {}
}
