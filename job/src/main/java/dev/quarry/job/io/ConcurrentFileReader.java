package dev.quarry.job.io;

import dev.quarry.job.record.SourceLine;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SourceReaderBase;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitState;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * One source subtask's reader: Flink's file reader, but with {@link #FETCHERS} files read at once.
 *
 * <p>Flink's reader reads one file at a time and asks for the next when it has emitted the last.
 * For a sharded input of small files the file is the least of it: each one costs two requests to
 * open and a round trip to the JobManager for the next, and the reader waits through all of them.
 * Here {@link FetcherPool} reads several files at once and {@link BacklogSplitEnumerator} keeps
 * files queued ahead, topped up by a report every few files ({@link FilesFinished}). Checkpoints
 * hold every assigned file with its position, as Flink's reader does.
 */
final class ConcurrentFileReader
    extends SourceReaderBase<
        RecordAndPosition<SourceLine>,
        SourceLine,
        FileSourceSplit,
        FileSourceSplitState<FileSourceSplit>> {
  /** Files read at once per reader. */
  static final int FETCHERS = 4;

  ConcurrentFileReader(
      SourceReaderContext context, BulkFormat<SourceLine, FileSourceSplit> format) {
    this(context, format, withQueueForEveryFetcher(context.getConfiguration()));
  }

  private ConcurrentFileReader(
      SourceReaderContext context,
      BulkFormat<SourceLine, FileSourceSplit> format,
      Configuration config) {
    super(
        new FetcherPool(() -> new FileSplitReader(config, format), config, FETCHERS),
        new LineEmitter(),
        config,
        context);
  }

  /**
   * Room in the hand-over queue for the closing batch of every fetcher at once (see {@link
   * FetcherPool}).
   */
  static Configuration withQueueForEveryFetcher(Configuration config) {
    Configuration c = new Configuration(config);
    c.set(
        SourceReaderOptions.ELEMENT_QUEUE_CAPACITY,
        Math.max(config.get(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY), FETCHERS));
    return c;
  }

  @Override
  public void start() {
    if (getNumberOfCurrentlyAssignedSplits() == 0) {
      context.sendSplitRequest();
    }
  }

  /** Files finished and not yet reported to the enumerator; touched only by the task thread. */
  private int unreported;

  /**
   * Reports finished files to the enumerator, which counts on the reports to know how many the
   * reader still has: every {@link BacklogSplitEnumerator#REPORT_EVERY} files, and whenever the
   * reader has none left, so that it is topped up (or told there are no more) without waiting.
   */
  @Override
  protected void onSplitFinished(Map<String, FileSourceSplitState<FileSourceSplit>> finished) {
    unreported += finished.size();
    if (unreported >= BacklogSplitEnumerator.REPORT_EVERY
        || getNumberOfCurrentlyAssignedSplits() == 0) {
      context.sendSourceEventToCoordinator(new FilesFinished(unreported));
      unreported = 0;
    }
  }

  @Override
  public void notifyNoMoreSplits() {
    ((FetcherPool) splitFetcherManager).noMoreSplits();
    super.notifyNoMoreSplits();
  }

  @Override
  protected FileSourceSplitState<FileSourceSplit> initializedState(FileSourceSplit split) {
    return new FileSourceSplitState<>(split);
  }

  @Override
  protected FileSourceSplit toSplitType(
      String splitId, FileSourceSplitState<FileSourceSplit> state) {
    return state.toFileSourceSplit();
  }

  /** Emits a line and moves its file's checkpointed position past it. */
  private static final class LineEmitter
      implements RecordEmitter<
          RecordAndPosition<SourceLine>, SourceLine, FileSourceSplitState<FileSourceSplit>> {
    @Override
    public void emitRecord(
        RecordAndPosition<SourceLine> element,
        SourceOutput<SourceLine> output,
        FileSourceSplitState<FileSourceSplit> state) {
      output.collect(element.getRecord());
      state.setPosition(element.getOffset(), element.getRecordSkipCount());
    }
  }
}
