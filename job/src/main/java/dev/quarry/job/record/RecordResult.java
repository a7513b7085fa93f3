package dev.quarry.job.record;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the writer receives for each input line: its output line and counts, or a blank /
 * end-of-file marker.
 */
@TypeInfo(RecordResultSerializer.Factory.class)
public class RecordResult {
  public String file;

  /** 1-based line number; for {@link RecordKind#END_OF_FILE}, the file's line count. */
  public long lineNumber;

  /** {@link RecordKind#RECORD} for an output line (success or error), else BLANK or END_OF_FILE. */
  public RecordKind kind;

  /**
   * The complete output line as the writer appends it: UTF-8 JSON and its newline, encoded once
   * where the line is made. Never changed once built.
   */
  public byte[] outputLine;

  public boolean success;
  public long inputTokens;
  public long outputTokens;

  public RecordResult() {}

  public static RecordResult output(
      String file,
      long lineNumber,
      String outputLine,
      boolean success,
      long inputTokens,
      long outputTokens) {
    RecordResult r = of(file, lineNumber, RecordKind.RECORD);
    r.outputLine = withNewline(outputLine);
    r.success = success;
    r.inputTokens = inputTokens;
    r.outputTokens = outputTokens;
    return r;
  }

  public static RecordResult passThrough(BatchRecord marker) {
    return of(marker.file, marker.lineNumber, marker.kind);
  }

  private static byte[] withNewline(String line) {
    byte[] text = line.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = java.util.Arrays.copyOf(text, text.length + 1);
    bytes[text.length] = '\n';
    return bytes;
  }

  private static RecordResult of(String file, long lineNumber, RecordKind kind) {
    RecordResult r = new RecordResult();
    r.file = file;
    r.lineNumber = lineNumber;
    r.kind = kind;
    return r;
  }
}
