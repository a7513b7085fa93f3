package dev.quarry.job.pipeline;

import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
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
 * <p>The ids of files still being read are checkpointed as operator list state, like the reader's
 * splits: restored at the job's parallelism (a job always is), Flink hands each subtask its own
 * entries back, so a file's reader and its ids meet again. Not union state: Flink takes no
 * checkpoint of a task with union state once some of its subtasks have finished, and a reader
 * finishes as soon as no file is left for it.
 */
public final class DuplicateRecordFilter extends ProcessFunction<BatchRecord, BatchRecord>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  /** One file's ids in a checkpoint: the file, and each id's first line. */
  private static final TypeInformation<Tuple2<String, Map<String, Long>>> ENTRY =
      Types.TUPLE(Types.STRING, Types.MAP(Types.STRING, Types.LONG));

  /** The ids seen so far in each file being read, with the line each was first used on. */
  private transient Map<String, Map<String, Long>> firstLineByIdByFile;

  private transient ListState<Tuple2<String, Map<String, Long>>> checkpointed;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    firstLineByIdByFile = new HashMap<>();
    checkpointed =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("first-line-by-record-id-by-file", ENTRY));
    if (!context.isRestored()) {
      return;
    }
    for (Tuple2<String, Map<String, Long>> entry : checkpointed.get()) {
      firstLineByIdByFile.put(entry.f0, new HashMap<>(entry.f1));
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    List<Tuple2<String, Map<String, Long>>> entries = new ArrayList<>(firstLineByIdByFile.size());
    // The state backend copies each map before this task goes on (its synchronous phase).
    firstLineByIdByFile.forEach((file, ids) -> entries.add(Tuple2.of(file, ids)));
    checkpointed.update(entries);
  }

  @Override
  public void processElement(BatchRecord record, Context ctx, Collector<BatchRecord> out) {
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
