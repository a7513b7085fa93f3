package dev.quarry.job.record;

/**
 * One physical line of an input file as read, or the end-of-file marker that follows a file's last
 * line.
 *
 * <p>Every physical line (blank ones too) travels to the writer, so the writer can tell a file is
 * complete when it has seen {@code lineCount} lines, whatever order they arrive in.
 */
public class SourceLine {
  /** Full path of the input file, e.g. {@code s3://bucket/in/a.jsonl}. */
  public String file;

  /** 1-based physical line number; for the end-of-file marker, the number of lines in the file. */
  public long lineNumber;

  /** The line's bytes without the newline, or {@code null} if it was longer than the limit. */
  public byte[] bytes;

  /** Length of the line in bytes, kept even when {@code bytes} is dropped for being too long. */
  public long length;

  /** Whether this is the end-of-file marker rather than a line. */
  public boolean endOfFile;

  /**
   * Whether this line was read again after a restore, before the restored position: it was
   * processed before the checkpoint, so it only tells the duplicate check its {@code recordId}
   * again, and goes no further.
   */
  public boolean replayed;

  public SourceLine() {}

  public static SourceLine line(String file, long lineNumber, byte[] bytes, long length) {
    SourceLine l = new SourceLine();
    l.file = file;
    l.lineNumber = lineNumber;
    l.bytes = bytes;
    l.length = length;
    return l;
  }

  public static SourceLine endOfFile(String file, long lineCount) {
    SourceLine l = new SourceLine();
    l.file = file;
    l.lineNumber = lineCount;
    l.endOfFile = true;
    return l;
  }
}
