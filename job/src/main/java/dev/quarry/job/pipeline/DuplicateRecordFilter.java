package dev.quarry.job.pipeline;

import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordKind;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets the first record with a given {@code recordId} in a file through and turns every later one
 * in the same file into an error line, so each output file correlates to its input unambiguously
 * and no one pays twice for one id. Ids repeat freely across files: output is per file, and sharded
 * inputs usually number each shard's lines from 1.
 *
 * <p>Runs in the source's task, before records are spread over the model-call subtasks: a file is
 * read in order by one source reader, so every line of a file and then its end-of-file marker pass
 * through one instance of this filter, and the file's ids are dropped at its end. Being chained to
 * the reader costs no network exchange of its own (a keyed one, by file, did). The state holds only
 * the ids of the files being read right now, not of the whole job.
 *
 * <p>The ids are not checkpointed: after a restore the reader reads each unfinished file again from
 * its start up to the restored position ({@link RecordKind#REPLAYED_ID} lines), and the filter
 * learns those ids again from the lines themselves. A checkpoint then costs nothing per id: held as
 * operator state, the ids of the files being read (up to 800,000 in the 1M-record benchmark) were
 * copied in every checkpoint's synchronous phase and written in full each time, and the job stalled
 * for about half a second at each checkpoint. A restore pays instead, once, by reading the
 * unfinished files' first parts again.
 */
public final class DuplicateRecordFilter extends ProcessFunction<BatchRecord, BatchRecord> {
  private static final long serialVersionUID = 1L;

  /** The ids seen so far in each file being read, with the line each was first used on. */
  private transient Map<String, Map<String, Long>> firstLineByIdByFile;

  @Override
  public void open(OpenContext context) {
    firstLineByIdByFile = new HashMap<>();
  }

  @Override
  public void processElement(BatchRecord record, Context ctx, Collector<BatchRecord> out) {
    if (record.kind == RecordKind.REPLAYED_ID) {
      if (record.recordId != null) {
        firstLineByIdByFile
            .computeIfAbsent(record.file, f -> new HashMap<>())
            .putIfAbsent(record.recordId, record.lineNumber);
      }
      return; // processed before the restore
    }
    if (record.kind == RecordKind.END_OF_FILE) {
      firstLineByIdByFile.remove(record.file);
      out.collect(record);
      return;
    }
    if (record.kind != RecordKind.RECORD) {
      out.collect(record);
      return;
    }
    Long first =
        firstLineByIdByFile
            .computeIfAbsent(record.file, f -> new HashMap<>())
            .putIfAbsent(record.recordId, record.lineNumber);
    if (first == null) {
      out.collect(record);
      return;
    }
    out.collect(
        BatchRecord.invalid(
            record.file,
            record.lineNumber,
            record.recordId,
            record.modelInput,
            400,
            "Line "
                + record.lineNumber
                + ": duplicate recordId "
                + record.recordId
                + " (first used on line "
                + first
                + " of this file); not invoked"));
  }

  /** How many files' ids are held now (for tests: finished files leave nothing behind). */
  int filesHeld() {
    return firstLineByIdByFile.size();
  }
}
