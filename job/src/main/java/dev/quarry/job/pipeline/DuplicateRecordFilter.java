package dev.quarry.job.pipeline;

import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordKind;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets the first record with a given {@code recordId} in a file through and turns every later one
 * in the same file into an error line, so each output file correlates to its input unambiguously
 * and no one pays twice for one id. Ids repeat freely across files: output is per file, and sharded
 * inputs usually number each shard's lines from 1.
 *
 * <p>Keyed by input file. A file is read in order by one source reader, so its end-of-file marker
 * arrives here after all its lines and its ids are dropped then: the state holds only the ids of
 * the files being read right now, not of the whole job.
 */
public final class DuplicateRecordFilter
    extends KeyedProcessFunction<String, BatchRecord, BatchRecord> {
  private static final long serialVersionUID = 1L;

  private transient MapState<String, Long> firstLineById;

  /**
   * The key that routes an element here: its input file, so the file's end marker follows its
   * lines.
   */
  public static String key(BatchRecord record) {
    return record.file;
  }

  @Override
  public void open(OpenContext context) {
    firstLineById =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>("first-line-by-record-id", Types.STRING, Types.LONG));
  }

  @Override
  public void processElement(BatchRecord record, Context ctx, Collector<BatchRecord> out)
      throws Exception {
    if (record.kind == RecordKind.END_OF_FILE) {
      firstLineById.clear();
      out.collect(record);
      return;
    }
    if (record.kind != RecordKind.RECORD) {
      out.collect(record);
      return;
    }
    Long first = firstLineById.get(record.recordId);
    if (first == null) {
      firstLineById.put(record.recordId, record.lineNumber);
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
}
