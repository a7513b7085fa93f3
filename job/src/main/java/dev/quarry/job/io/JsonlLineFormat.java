package dev.quarry.job.io;

import dev.quarry.job.record.SourceLine;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a JSONL file as raw byte lines tagged with their file and line number, then an end-of-file
 * marker.
 *
 * <p>Lines stay bytes here: UTF-8 validity, byte-order marks and CRLF are the parser's business, so
 * a bad line becomes that record's error line instead of a reader failure. Lines longer than the
 * record limit are skipped over without being buffered.
 *
 * <p>Checkpointed position: {@code (offset of the next line, lines consumed)}; after the
 * end-of-file marker it is {@code (NO_OFFSET, line count)}, so a restore neither loses nor repeats
 * the marker. A file restored part way is read again from its start: the lines before the position
 * come marked {@link SourceLine#replayed}, with the restored position, for the duplicate check
 * alone.
 */
public final class JsonlLineFormat implements BulkFormat<SourceLine, FileSourceSplit> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(JsonlLineFormat.class);

  private final int maxLineBytes;

  public JsonlLineFormat(long maxLineBytes) {
    this.maxLineBytes = (int) Math.min(maxLineBytes, Integer.MAX_VALUE - 16);
  }

  @Override
  public Reader<SourceLine> createReader(Configuration config, FileSourceSplit split)
      throws IOException {
    return open(split);
  }

  @Override
  public Reader<SourceLine> restoreReader(Configuration config, FileSourceSplit split)
      throws IOException {
    return open(split);
  }

  private LineReader open(FileSourceSplit split) throws IOException {
    Optional<CheckpointedPosition> position = split.getReaderPosition();
    String file = split.path().toString();
    if (position.isPresent() && position.get().getOffset() == CheckpointedPosition.NO_OFFSET) {
      return LineReader.finished(file);
    }
    long offset = position.map(CheckpointedPosition::getOffset).orElse(split.offset());
    long lines = position.map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
    // Splits from before file sizes were kept (Flink's own enumerator) carry none; ours cover whole
    // files.
    long size = split.fileSize() > 0 ? split.fileSize() : split.offset() + split.length();
    // Restored part way: the lines before the position are read again, marked replayed, so the
    // duplicate check learns their ids without keeping them in checkpoints.
    if (lines > 0) {
      LOG.info(
          "Restored {} after line {}: reading up to there again for the duplicate check",
          file,
          lines);
    }
    InputStream in;
    try {
      in = InputObjects.open(split.path(), size, split.offset());
    } catch (FileNotFoundException e) {
      // The job reads the files its input was listed with (at validation): one gone since is an
      // input changed under the job, which no restart can fix, so the job fails now, saying so.
      FileNotFoundException gone =
          new FileNotFoundException(
              "Input object "
                  + file
                  + " is gone: it was listed as the job's input and deleted or renamed since");
      gone.addSuppressed(e); // not its cause: failure reports show the root cause's text alone
      throw new SuppressRestartsException(gone);
    }
    return new LineReader(file, in, split.offset(), offset, lines, maxLineBytes);
  }

  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<SourceLine> getProducedType() {
    return TypeInformation.of(SourceLine.class);
  }

  /** Splits one file's bytes into lines on {@code \n}. */
  private static final class LineReader implements BulkFormat.Reader<SourceLine> {
    private static final int BATCH_LINES = 512;
    private static final int BATCH_BYTES = 1 << 20;

    private final String file;
    private final InputStream in;
    private final InputLines lines;
    private long lineNumber;
    private boolean endOfFileEmitted;

    /** Lines up to this one were read before the restore: they are replayed. */
    private final long replayThroughLine;

    /** The restored position's offset, which is where the replayed lines end. */
    private final long restoredOffset;

    /**
     * Reads {@code in} from {@code start}, replaying the lines up to the restored position ({@code
     * restoredLines} 0: none); a {@code null} {@code in} has nothing left to read.
     */
    private LineReader(
        String file,
        InputStream in,
        long start,
        long restoredOffset,
        long restoredLines,
        int maxLineBytes) {
      this.file = file;
      this.in = in;
      this.lines = in == null ? null : new InputLines(in, maxLineBytes, start, 0);
      this.endOfFileEmitted = in == null;
      this.replayThroughLine = restoredLines;
      this.restoredOffset = restoredOffset;
    }

    /** A file whose end-of-file marker was emitted before the restore: nothing is left. */
    static LineReader finished(String file) {
      return new LineReader(file, null, 0, CheckpointedPosition.NO_OFFSET, 0, 0);
    }

    @Override
    public RecordIterator<SourceLine> readBatch() throws IOException {
      if (endOfFileEmitted) {
        return null;
      }
      ArrayDeque<RecordAndPosition<SourceLine>> batch = new ArrayDeque<>();
      long batchBytes = 0;
      while (batch.size() < BATCH_LINES && batchBytes < BATCH_BYTES) {
        SourceLine next = readLine();
        if (next == null) {
          if (lineNumber < replayThroughLine) {
            throw changed(
                "it now ends at line "
                    + lineNumber
                    + ", before line "
                    + replayThroughLine
                    + " it was restored at");
          }
          batch.add(
              new RecordAndPosition<>(
                  SourceLine.endOfFile(file, lineNumber),
                  CheckpointedPosition.NO_OFFSET,
                  lineNumber));
          endOfFileEmitted = true;
          break;
        }
        if (lineNumber <= replayThroughLine) {
          next.replayed = true;
          // A checkpoint taken while replaying keeps the restored position.
          batch.add(new RecordAndPosition<>(next, restoredOffset, replayThroughLine));
          if (lineNumber == replayThroughLine && lines.nextOffset() != restoredOffset) {
            throw changed(
                "line "
                    + lineNumber
                    + " now ends at byte "
                    + lines.nextOffset()
                    + ", not at "
                    + restoredOffset);
          }
        } else {
          batch.add(new RecordAndPosition<>(next, lines.nextOffset(), lineNumber));
        }
        batchBytes += next.length;
      }
      return new DequeIterator(batch);
    }

    /** The file is not what was read before the restore: its replay cannot give the same ids. */
    private IOException changed(String how) {
      return new IOException(file + " changed after it was read: " + how);
    }

    /** The next line, or {@code null} at the end of the file. */
    private SourceLine readLine() throws IOException {
      if (!lines.next()) {
        return null;
      }
      lineNumber = lines.lineNumber();
      return SourceLine.line(file, lineNumber, lines.bytes(), lines.length());
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }

  /** Hands out one batch; the batch owns no pooled memory, so release does nothing. */
  private static final class DequeIterator implements BulkFormat.RecordIterator<SourceLine> {
    private final ArrayDeque<RecordAndPosition<SourceLine>> records;

    DequeIterator(ArrayDeque<RecordAndPosition<SourceLine>> records) {
      this.records = records;
    }

    @Override
    public RecordAndPosition<SourceLine> next() {
      return records.poll();
    }

    @Override
    public void releaseBatch() {}
  }
}
