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
 *
 * <p>A record format that keeps failures apart (OpenAI batches) writes each input's error lines to
 * a second output beside the first ({@link OutputNaming#errorsPath}), committed with it when it has
 * any. Its checkpointed state is one more open file of the same input, told apart by its name.
 */
final class OutputFileWriter
    implements StatefulSinkWriter<RecordResult, OutputWriterState>,
        CommittingSinkWriter<RecordResult, OutputFileCommittable> {
  /** How many bytes of lines a streamed output collects before writing them to its stream. */
  static final int STREAM_CHUNK_BYTES = 64 * 1024;

  private final RecoverableWriter writer;
  private final OutputNaming naming;
  private final long expectedRecordCount;
  private final boolean splitErrors;
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
      boolean splitErrors,
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
    this.splitErrors = splitErrors;
    this.finished = restored.finished().copy();
    this.reporter = reporter;
    this.subtask = subtask;
    this.time = time;
    this.progressIntervalMillis = progressIntervalMillis;
    this.limits = limits;
    for (OpenOutputFile f : restored.openFiles()) {
      boolean errorLines =
          splitErrors && f.outputPath().equals(naming.errorsPath(f.inputFile()).toString());
      OutputFile file = open.computeIfAbsent(f.inputFile(), this::newFile);
      if (errorLines) {
        file.errors().restore(f);
      } else {
        file.counts = f.counts().copy();
        file.main.restore(f);
      }
    }
    scheduleProgressReport();
  }

  private OutputFile newFile(String inputFile) {
    return new OutputFile(inputFile, naming.outputPath(inputFile), new FileCounts());
  }

  @Override
  public void write(RecordResult result, Context context) throws IOException {
    OutputFile file = open.computeIfAbsent(result.file, this::newFile);
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
    ready.add(file.main.committable(file.counts));
    if (file.errors != null && !file.errors.isEmpty()) {
      ready.add(file.errors.committable(new FileCounts()));
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
      files.add(f.main.snapshot(f.inputFile, f.counts));
      if (f.errors != null && !f.errors.isEmpty()) {
        files.add(f.errors.snapshot(f.inputFile, new FileCounts()));
      }
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
        f.main.closeStream();
        if (f.errors != null) {
          f.errors.closeStream();
        }
      }
    } finally {
      reporter.close();
    }
  }

  /** An input file's output being written: its answers, and its error lines where kept apart. */
  private final class OutputFile {
    final String inputFile;
    FileCounts counts;
    final Part main;
    Part errors;

    OutputFile(String inputFile, Path outputPath, FileCounts counts) {
      this.inputFile = inputFile;
      this.counts = counts;
      this.main = new Part(outputPath);
    }

    Part errors() {
      if (errors == null) {
        errors = new Part(naming.errorsPath(inputFile));
      }
      return errors;
    }

    void append(RecordResult r) throws IOException {
      (splitErrors && !r.success ? errors() : main).append(r.outputLine);
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

  /**
   * One output object being written: in memory while small, then through a stream, to which its
   * lines go in chunks of {@link #STREAM_CHUNK_BYTES}.
   */
  private final class Part {
    final Path path;
    final List<RecoverableWriter.ResumeRecoverable> obsolete = new ArrayList<>();
    final ByteArrayOutputStream buffered = new ByteArrayOutputStream(1024);
    RecoverableFsDataOutputStream stream;

    Part(Path path) {
      this.path = path;
    }

    boolean isEmpty() {
      return stream == null && buffered.size() == 0;
    }

    void restore(OpenOutputFile f) throws IOException {
      if (f.resumable() != null) {
        stream = writer.recover(f.resumable());
      } else {
        buffered.writeBytes(f.buffered());
      }
      obsolete.addAll(f.obsolete());
    }

    /** Moves the output from memory to a RecoverableWriter stream (its lines at the next drain). */
    void startStream() throws IOException {
      if (stream == null) {
        stream = writer.open(path);
      }
    }

    /**
     * Writes the lines held in memory to the stream in one call: the S3 stream buffers only 4 KB
     * before its local file, so a line at a time cost a system call every few lines. It rolls to a
     * new part only inside a write, which a chunk still is.
     */
    private void drain() throws IOException {
      buffered.writeTo(stream);
      buffered.reset();
    }

    void append(byte[] line) throws IOException {
      if (stream == null && buffered.size() + line.length > limits.perFile()) {
        startStream();
      }
      buffered.writeBytes(line);
      if (stream != null && buffered.size() >= STREAM_CHUNK_BYTES) {
        drain();
      }
    }

    OutputFileCommittable committable(FileCounts counts) throws IOException {
      if (stream == null && wholeBytesSinceCheckpoint + buffered.size() <= limits.perCheckpoint()) {
        wholeBytesSinceCheckpoint += buffered.size();
        return OutputFileCommittable.whole(path.toString(), buffered.toByteArray(), counts);
      }
      startStream();
      drain();
      return OutputFileCommittable.streamed(
          path.toString(), stream.closeForCommit().getRecoverable(), counts, obsolete);
    }

    OpenOutputFile snapshot(String inputFile, FileCounts counts) throws IOException {
      RecoverableWriter.ResumeRecoverable resumable = null;
      byte[] bytes = null;
      if (stream != null) {
        drain();
        resumable = stream.persist();
        if (writer.requiresCleanupOfRecoverableState()) {
          obsolete.add(resumable);
        }
      } else {
        bytes = buffered.toByteArray();
      }
      return new OpenOutputFile(
          inputFile, path.toString(), resumable, bytes, obsolete, counts.copy());
    }

    void closeStream() throws IOException {
      if (stream != null) {
        stream.close();
      }
    }
  }
}
