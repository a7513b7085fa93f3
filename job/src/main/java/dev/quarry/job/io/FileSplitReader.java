package dev.quarry.job.io;

import dev.quarry.job.record.SourceLine;
import java.io.IOException;
import java.util.ArrayDeque;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.FileRecords;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * Reads the files one fetcher was given, one after the other, in batches of lines: what Flink's own
 * (package-private) file split reader does, for {@link FetcherPool}'s fetchers.
 */
final class FileSplitReader implements SplitReader<RecordAndPosition<SourceLine>, FileSourceSplit> {
  private final Configuration config;
  private final BulkFormat<SourceLine, FileSourceSplit> format;
  private final ArrayDeque<FileSourceSplit> files = new ArrayDeque<>();
  private BulkFormat.Reader<SourceLine> current;
  private String currentId;

  FileSplitReader(Configuration config, BulkFormat<SourceLine, FileSourceSplit> format) {
    this.config = config;
    this.format = format;
  }

  @Override
  public RecordsWithSplitIds<RecordAndPosition<SourceLine>> fetch() throws IOException {
    if (current == null) {
      FileSourceSplit next = files.poll();
      if (next == null) {
        throw new IOException("No file left to read");
      }
      currentId = next.splitId();
      current =
          next.getReaderPosition().isPresent()
              ? format.restoreReader(config, next)
              : format.createReader(config, next);
    }
    BulkFormat.RecordIterator<SourceLine> batch = current.readBatch();
    if (batch != null) {
      return FileRecords.forRecords(currentId, batch);
    }
    current.close();
    current = null;
    return FileRecords.finishedSplit(currentId);
  }

  @Override
  public void handleSplitsChanges(SplitsChange<FileSourceSplit> change) {
    if (!(change instanceof SplitsAddition)) {
      throw new UnsupportedOperationException("Unsupported split change " + change);
    }
    files.addAll(change.splits());
  }

  @Override
  public void wakeUp() {}

  @Override
  public void close() throws Exception {
    if (current != null) {
      current.close();
    }
  }
}
