package dev.quarry.job.pipeline;

import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordKind;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets the first record with a given {@code recordId} in a file through and turns every later one in
 * that file into an error line, so outputs correlate to inputs unambiguously and no one pays twice for
 * one id. Ids are unique per input file, as each file has its own output file to correlate with.
 *
 * <p>Keyed by (file, record id); the state holds one small value per key for the job's lifetime.
 */
public final class DuplicateRecordFilter extends KeyedProcessFunction<String, BatchRecord, BatchRecord> {
  private static final long serialVersionUID = 1L;

  private transient ValueState<Long> firstLine;

  @Override
  public void open(OpenContext context) {
    firstLine = getRuntimeContext().getState(new ValueStateDescriptor<>("first-line", Long.class));
  }

  @Override
  public void processElement(BatchRecord record, Context ctx, Collector<BatchRecord> out) throws Exception {
    if (record.kind != RecordKind.RECORD) {
      out.collect(record);
      return;
    }
    Long first = firstLine.value();
    if (first == null) {
      firstLine.update(record.lineNumber);
      out.collect(record);
      return;
    }
    out.collect(BatchRecord.invalid(record.file, record.lineNumber, record.recordId, record.modelInput, 400,
        "Line " + record.lineNumber + ": duplicate recordId " + record.recordId
            + " (first used on line " + first + " of this file); not invoked"));
  }
}
