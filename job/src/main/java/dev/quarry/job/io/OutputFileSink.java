package dev.quarry.job.io;

import dev.quarry.job.progress.ProgressReporterFactory;
import dev.quarry.job.record.RecordResult;
import dev.quarry.job.spec.JobSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes Bedrock's output files exactly once under their exact names ({@code <input>.jsonl.out}),
 * then {@code manifest.json.out}.
 *
 * <p>Flink's {@code FileSink} cannot produce those names, so this sink drives the file system's
 * {@code RecoverableWriter} itself: a writer that persists open files at each checkpoint and a
 * committer that publishes finished files once their checkpoint completes.
 *
 * <p>An OpenAI batch's error lines go to {@code <input>.errors.out} beside its answers.
 *
 * <p>Runs with parallelism 1, so one writer knows the whole job's counts and writes the manifest as
 * its last committable. A post-commit topology would be the textbook place for the manifest, but in
 * Flink 2.3 its final batch arrives after end of data and is dropped (FLINK-38614). Writing output
 * lines is cheap beside model calls, which stay fully parallel.
 *
 * <p>The committer runs in a task of its own ({@link #addPreCommitTopology}): chained to the
 * writer, as Flink does by default, every commit held the writer up, and with it the whole job, for
 * as long as the files of a checkpoint took to publish (seconds for the hundreds of a sharded
 * input, every checkpoint).
 */
public final class OutputFileSink
    implements Sink<RecordResult>,
        SupportsWriterState<RecordResult, OutputWriterState>,
        SupportsCommitter<OutputFileCommittable>,
        SupportsPreCommitTopology<OutputFileCommittable, OutputFileCommittable> {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final OutputNaming naming;
  private final long expectedRecordCount;
  private final boolean splitErrors;
  private final long progressIntervalMillis;
  private final ProgressReporterFactory reporters;
  private final OutputWriterFactory writers;

  public OutputFileSink(JobSpec spec, ProgressReporterFactory reporters) {
    this.jobId = spec.jobId();
    this.naming = new OutputNaming(spec.inputUri(), spec.jobOutputUri());
    this.expectedRecordCount = spec.expectedRecordCount();
    this.splitErrors = spec.recordFormat().isOpenAiBatch();
    this.progressIntervalMillis = spec.progressIntervalMillis();
    this.reporters = reporters;
    this.writers = new OutputWriterFactory(spec.jobOutputUri());
  }

  @Override
  public SinkWriter<RecordResult> createWriter(WriterInitContext context) throws IOException {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<RecordResult, OutputWriterState> restoreWriter(
      WriterInitContext context, Collection<OutputWriterState> recovered) throws IOException {
    List<OpenOutputFile> files = new ArrayList<>();
    FileCounts finished = new FileCounts();
    for (OutputWriterState s : recovered) {
      files.addAll(s.openFiles());
      finished.add(s.finished());
    }
    return new OutputFileWriter(
        writers.writer(),
        naming,
        expectedRecordCount,
        splitErrors,
        new OutputWriterState(files, finished),
        reporters.create(jobId),
        context.getTaskInfo().getIndexOfThisSubtask(),
        context.getProcessingTimeService(),
        progressIntervalMillis,
        WholeOutputLimits.DEFAULT);
  }

  @Override
  public SimpleVersionedSerializer<OutputWriterState> getWriterStateSerializer() {
    return new OutputWriterStateSerializer(writers);
  }

  @Override
  public Committer<OutputFileCommittable> createCommitter(CommitterInitContext context) {
    boolean firstAttempt =
        context.getRestoredCheckpointId().isEmpty()
            && context.getTaskInfo().getAttemptNumber() == 0;
    return new OutputFileCommitter(
        writers.writer(), jobId, reporters, naming.jobOutputDir(), firstAttempt);
  }

  @Override
  public SimpleVersionedSerializer<OutputFileCommittable> getCommittableSerializer() {
    return new OutputFileCommittableSerializer(writers);
  }

  /**
   * Hands the committables to the committer over a (non-chaining) exchange, so that publishing runs
   * beside the writer instead of in its thread. Flink keeps every exchange between a sink's writer
   * and committer aligned, so the committer still has all of a checkpoint's committables when that
   * checkpoint completes.
   */
  @Override
  public DataStream<CommittableMessage<OutputFileCommittable>> addPreCommitTopology(
      DataStream<CommittableMessage<OutputFileCommittable>> committables) {
    return committables.rebalance();
  }

  @Override
  public SimpleVersionedSerializer<OutputFileCommittable> getWriteResultSerializer() {
    return getCommittableSerializer();
  }
}
