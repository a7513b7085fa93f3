package dev.quarry.job.record;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A parsed input line on its way to the model: a record, an invalid line, a blank line or an
 * end-of-file marker.
 */
@TypeInfo(BatchRecordSerializer.Factory.class)
public class BatchRecord {
  public String file;

  /** 1-based line number; for {@link RecordKind#END_OF_FILE}, the file's line count. */
  public long lineNumber;

  public RecordKind kind;
  public String recordId;

  /** The record's {@code modelInput} as compact JSON, or {@code null} when the line has none. */
  public String modelInput;

  /** For {@link RecordKind#INVALID}: the HTTP-style error code of the error line. */
  public int errorCode;

  /** For {@link RecordKind#INVALID}: why the line cannot be sent. */
  public String errorMessage;

  public BatchRecord() {}

  public static BatchRecord record(
      String file, long lineNumber, String recordId, String modelInput) {
    BatchRecord r = of(file, lineNumber, RecordKind.RECORD);
    r.recordId = recordId;
    r.modelInput = modelInput;
    return r;
  }

  public static BatchRecord invalid(
      String file,
      long lineNumber,
      String recordId,
      String modelInput,
      int errorCode,
      String errorMessage) {
    BatchRecord r = of(file, lineNumber, RecordKind.INVALID);
    r.recordId = recordId;
    r.modelInput = modelInput;
    r.errorCode = errorCode;
    r.errorMessage = errorMessage;
    return r;
  }

  public static BatchRecord blank(String file, long lineNumber) {
    return of(file, lineNumber, RecordKind.BLANK);
  }

  /**
   * A line read again after a restore; {@code recordId} is the id it used as a record, or {@code
   * null} when it was not one.
   */
  public static BatchRecord replayedId(String file, long lineNumber, String recordId) {
    BatchRecord r = of(file, lineNumber, RecordKind.REPLAYED_ID);
    r.recordId = recordId;
    return r;
  }

  public static BatchRecord endOfFile(String file, long lineCount) {
    return of(file, lineCount, RecordKind.END_OF_FILE);
  }

  private static BatchRecord of(String file, long lineNumber, RecordKind kind) {
    BatchRecord r = new BatchRecord();
    r.file = file;
    r.lineNumber = lineNumber;
    r.kind = kind;
    return r;
  }

  @Override
  public String toString() {
    return kind + " " + file + ":" + lineNumber + (recordId == null ? "" : " " + recordId);
  }
}
