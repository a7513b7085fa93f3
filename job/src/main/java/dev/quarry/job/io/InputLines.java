package dev.quarry.job.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The physical lines of an input file as the job numbers them: split on {@code \n}, counted from 1
 * with blank lines included, and a last line without {@code \n} counted too. A line longer than the
 * limit is skipped over unbuffered, keeping its offset and length so it can be fetched again.
 *
 * <p>The job's reader ({@link JsonlLineFormat}) and the tools that re-read an input (the retry
 * tool) both cut lines here, so generated record ids, which derive from line numbers, always agree.
 */
public final class InputLines {
  private final InputStream in;
  private final int maxLineBytes;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final byte[] buffer;
  private int bufferPos;
  private int bufferLen;
  private byte[] line = new byte[256];
  private long position;

  private long lineNumber;
  private long lineOffset;
  private long lineLength;
  private byte[] lineBytes;

  /** Reads {@code in} from its first byte. */
  public InputLines(InputStream in, long maxLineBytes) {
    this(in, maxLineBytes, 0, 0);
  }

  /**
   * Reads {@code in}, already positioned at {@code offset}, where the next line is number {@code
   * linesBefore + 1}: a reader restored from a checkpoint.
   */
  public InputLines(InputStream in, long maxLineBytes, long offset, long linesBefore) {
    this.in = in;
    // A whole small object already in memory (InputObjects) needs no 64 KiB copy per file.
    this.buffer =
        new byte
            [in instanceof ByteArrayInputStream whole
                ? Math.max(1, Math.min(BUFFER_BYTES, whole.available()))
                : BUFFER_BYTES];
    this.maxLineBytes = (int) Math.min(maxLineBytes, Integer.MAX_VALUE - 16);
    this.position = offset;
    this.lineNumber = linesBefore;
  }

  /** Moves to the next line; {@code false} at the end of the file. */
  public boolean next() throws IOException {
    int kept = 0;
    long length = 0;
    long start = position;
    boolean sawAnything = false;
    while (true) {
      if (bufferPos == bufferLen) {
        bufferLen = in.read(buffer, 0, buffer.length);
        bufferPos = 0;
        if (bufferLen <= 0) {
          bufferLen = 0;
          if (!sawAnything) {
            return false;
          }
          return finish(start, kept, length);
        }
      }
      sawAnything = true;
      int from = bufferPos;
      int newline = -1;
      for (int i = from; i < bufferLen; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? bufferLen : newline;
      int chunk = end - from;
      if (length + chunk <= maxLineBytes) {
        if (kept + chunk > line.length) {
          line =
              Arrays.copyOf(line, Math.max(kept + chunk, Math.min(maxLineBytes, line.length * 2)));
        }
        System.arraycopy(buffer, from, line, kept, chunk);
        kept += chunk;
      }
      length += chunk;
      position += chunk;
      if (newline >= 0) {
        bufferPos = newline + 1;
        position += 1;
        return finish(start, kept, length);
      }
      bufferPos = bufferLen;
    }
  }

  private boolean finish(long start, int kept, long length) {
    lineNumber++;
    lineOffset = start;
    lineLength = length;
    lineBytes = length <= maxLineBytes ? Arrays.copyOf(line, kept) : null;
    if (line.length > 64 * 1024) {
      line = new byte[256]; // do not pin one huge line's buffer for the rest of the file
    }
    return true;
  }

  /** 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }

  /** Byte offset of the current line's first byte in the file. */
  public long offset() {
    return lineOffset;
  }

  /** Byte offset of the line after the current one: where a restored reader resumes. */
  public long nextOffset() {
    return position;
  }

  /** Length of the current line in bytes, without its {@code \n}. */
  public long length() {
    return lineLength;
  }

  /** The current line's bytes without the {@code \n}, or {@code null} if it is over the limit. */
  public byte[] bytes() {
    return lineBytes;
  }
}
