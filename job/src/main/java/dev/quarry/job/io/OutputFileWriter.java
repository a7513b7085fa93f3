package dev.quarry.job.io;

import dev.quarry.job.progress.ProgressReporter;
import dev.quarry.job.record.RecordResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * Collects each result into its input file's output and hands the output to the committer once the
 * file has an output line for every input line (or, when the job is stopped, with what it has). At
 * the end of input it adds the manifest, so the manifest is committed with the last files.
 *
 * <p>An output stays in memory, and in the checkpointed state, while it is small ({@link
 * WholeOutputLimits}): then it costs no request until the committer writes it in one piece. Sharded
 * inputs are mostly small files, and a stream per file would cost an upload to start, one to
 * persist at every checkpoint and one to clean up each persisted part. A larger output moves to a
 * {@link RecoverableWriter} stream: persisted at every checkpoint, resumed after a restore.
 *
 * <p>Results arrive in completion order, not file order; a file is complete when the number of
 * lines seen equals the line count its end-of-file marker carried.
 */
final class OutputFileWriter
    implements StatefulSinkWriter<RecordResult, OutputWriterState>,
        CommittingSinkWriter<RecordResult, OutputFileCommittable> {
  private final RecoverableWriter writer;
  private final OutputNaming naming;
  private final long expectedRecordCount;
  private final Map<String, OutputFile> open = new HashMap<>();
  private final List<OutputFileCommittable> ready = new ArrayList<>();
  private final FileCounts finished;
  private final ProgressReporter reporter;
  private final int subtask;
  private final ProcessingTimeService time;
  private final long progressIntervalMillis;
  private final WholeOutputLimits limits;
  private boolean ended;
  private long wholeBytesSinceCheckpoint;

  OutputFileWriter(
      RecoverableWriter writer,
      OutputNaming naming,
      long expectedRecordCount,
      OutputWriterState restored,
      ProgressReporter reporter,
      int subtask,
      ProcessingTimeService time,
      long progressIntervalMillis,
      WholeOutputLimits limits)
      throws IOException {
    this.writer = writer;
    this.naming = naming;
    this.expectedRecordCount = expectedRecordCount;
    this.finished = restored.finished().copy();
    this.reporter = reporter;
    this.subtask = subtask;
    this.time = time;
    this.progressIntervalMillis = progressIntervalMillis;
    this.limits = limits;
    for (OpenOutputFile f : restored.openFiles()) {
      OutputFile file = new OutputFile(f.inputFile(), new Path(f.outputPath()), f.counts().copy());
      if (f.resumable() != null) {
        file.stream = writer.recover(f.resumable());
      } else {
        file.buffered.writeBytes(f.buffered());
      }
      file.obsolete.addAll(f.obsolete());
      open.put(f.inputFile(), file);
    }
    scheduleProgressReport();
  }

  @Override
  public void write(RecordResult result, Context context) throws IOException {
    OutputFile file =
        open.computeIfAbsent(
            result.file, f -> new OutputFile(f, naming.outputPath(f), new FileCounts()));
    switch (result.kind) {
      case RECORD -> file.append(result);
      case BLANK -> file.counts.linesSeen++;
      case END_OF_FILE -> file.counts.expectedLines = result.lineNumber;
      default -> throw new IllegalStateException("Unexpected result kind " + result.kind);
    }
    if (file.counts.complete()) {
      finish(file);
    }
  }

  private void finish(OutputFile file) throws IOException {
    open.remove(file.inputFile);
    String path = file.outputPath.toString();
    if (file.stream == null
        && wholeBytesSinceCheckpoint + file.buffered.size() <= limits.perCheckpoint()) {
      wholeBytesSinceCheckpoint += file.buffered.size();
      ready.add(OutputFileCommittable.whole(path, file.buffered.toByteArray(), file.counts));
    } else {
      file.startStream();
      ready.add(
          OutputFileCommittable.streamed(
              path, file.stream.closeForCommit().getRecoverable(), file.counts, file.obsolete));
    }
    finished.add(file.counts);
  }

  /**
   * At the end of input (the normal end, or a stop with drain) every file still open is committed
   * as it is, followed by the manifest of everything committed.
   */
  @Override
  public void flush(boolean endOfInput) throws IOException {
    if (!endOfInput || ended) {
      return;
    }
    ended = true;
    for (OutputFile file : new ArrayList<>(open.values())) {
      finish(file);
    }
    long total = Math.max(expectedRecordCount, finished.records);
    Manifest manifest = Manifest.of(total, finished.toProgress());
    ready.add(
        OutputFileCommittable.manifest(
            naming.manifestPath().toString(),
            manifest.toJson().getBytes(StandardCharsets.UTF_8),
            finished.copy(),
            total));
    reporter.reportSubtask(subtask, finished.toProgress());
  }

  @Override
  public Collection<OutputFileCommittable> prepareCommit() {
    List<OutputFileCommittable> out = new ArrayList<>(ready);
    ready.clear();
    wholeBytesSinceCheckpoint = 0;
    return out;
  }

  @Override
  public List<OutputWriterState> snapshotState(long checkpointId) throws IOException {
    List<OpenOutputFile> files = new ArrayList<>(open.size());
    for (OutputFile f : open.values()) {
      RecoverableWriter.ResumeRecoverable resumable = null;
      byte[] buffered = null;
      if (f.stream != null) {
        resumable = f.stream.persist();
        if (writer.requiresCleanupOfRecoverableState()) {
          f.obsolete.add(resumable);
        }
      } else {
        buffered = f.buffered.toByteArray();
      }
      files.add(
          new OpenOutputFile(
              f.inputFile,
              f.outputPath.toString(),
              resumable,
              buffered,
              f.obsolete,
              f.counts.copy()));
    }
    return List.of(new OutputWriterState(files, finished.copy()));
  }

  private void scheduleProgressReport() {
    time.registerTimer(
        time.getCurrentProcessingTime() + progressIntervalMillis,
        t -> {
          if (!ended) {
            FileCounts total = finished.copy();
            open.values().forEach(f -> total.add(f.counts));
            reporter.reportSubtask(subtask, total.toProgress());
            scheduleProgressReport();
          }
        });
  }

  /**
   * Never commits: a closing writer is failing or cancelled, and its open files resume from state.
   */
  @Override
  public void close() throws Exception {
    try {
      for (OutputFile f : open.values()) {
        if (f.stream != null) {
          f.stream.close();
        }
      }
    } finally {
      reporter.close();
    }
  }

  /** An output file being written: in memory while small, then through a stream. */
  private final class OutputFile {
    final String inputFile;
    final Path outputPath;
    final FileCounts counts;
    final List<RecoverableWriter.ResumeRecoverable> obsolete = new ArrayList<>();
    final ByteArrayOutputStream buffered = new ByteArrayOutputStream(1024);
    RecoverableFsDataOutputStream stream;

    OutputFile(String inputFile, Path outputPath, FileCounts counts) {
      this.inputFile = inputFile;
      this.outputPath = outputPath;
      this.counts = counts;
    }

    /** Moves the output from memory to a RecoverableWriter stream. */
    void startStream() throws IOException {
      if (stream == null) {
        stream = writer.open(outputPath);
        stream.write(buffered.toByteArray());
        buffered.reset();
      }
    }

    void append(RecordResult r) throws IOException {
      // One array per line: the S3 stream only rolls to a new part inside write(byte[]).
      byte[] text = r.outputLine.getBytes(StandardCharsets.UTF_8);
      byte[] line = new byte[text.length + 1];
      System.arraycopy(text, 0, line, 0, text.length);
      line[text.length] = '\n';
      if (stream == null && buffered.size() + line.length > limits.perFile()) {
        startStream();
      }
      if (stream == null) {
        buffered.writeBytes(line);
      } else {
        stream.write(line);
      }
      counts.linesSeen++;
      counts.records++;
      if (r.success) {
        counts.success++;
        counts.inputTokens += r.inputTokens;
        counts.outputTokens += r.outputTokens;
      } else {
        counts.errors++;
      }
    }
  }
}
