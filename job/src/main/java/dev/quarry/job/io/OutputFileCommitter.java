package dev.quarry.job.io;

import dev.quarry.job.progress.ProgressReporter;
import dev.quarry.job.progress.ProgressReporterFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * Makes output files appear under their final names once the checkpoint that closed them is
 * complete, the manifest last; then sweeps up what failed attempts left behind and reports the
 * manifest's counts as the job's final progress.
 *
 * <p>Commits are idempotent ({@code commitAfterRecovery}): after a restore Flink commits again what
 * the restored checkpoint held.
 */
final class OutputFileCommitter implements Committer<OutputFileCommittable> {
  private final RecoverableWriter writer;
  private final String jobId;
  private final ProgressReporterFactory reporters;
  private final Path jobOutputDir;

  OutputFileCommitter(
      RecoverableWriter writer, String jobId, ProgressReporterFactory reporters, Path jobOutputDir) {
    this.writer = writer;
    this.jobId = jobId;
    this.reporters = reporters;
    this.jobOutputDir = jobOutputDir;
  }

  @Override
  public void commit(Collection<CommitRequest<OutputFileCommittable>> requests) throws IOException {
    List<OutputFileCommittable> manifests = new ArrayList<>();
    for (CommitRequest<OutputFileCommittable> request : requests) {
      OutputFileCommittable c = request.getCommittable();
      if (c.isManifest()) {
        manifests.add(c);
      } else {
        publish(c);
      }
    }
    for (OutputFileCommittable manifest : manifests) {
      publish(manifest);
      LeftoverSweeper.sweep(jobOutputDir);
      try (ProgressReporter reporter = reporters.create(jobId)) {
        reporter.reportFinal(manifest.manifestTotal(), manifest.counts().toProgress());
      }
    }
  }

  private void publish(OutputFileCommittable c) throws IOException {
    if (c.recoverable() != null) {
      writer.recoverForCommit(c.recoverable()).commitAfterRecovery();
    } else {
      writeEmpty(new Path(c.outputPath()));
    }
    for (RecoverableWriter.ResumeRecoverable leftover : c.obsolete()) {
      writer.cleanupRecoverableState(leftover);
    }
  }

  /** An input with no records still gets its (empty) output file; S3 makes no object of an empty upload. */
  private static void writeEmpty(Path path) throws IOException {
    FileSystem fs = path.getFileSystem();
    try (FSDataOutputStream out = fs.create(path, FileSystem.WriteMode.OVERWRITE)) {
      out.flush();
    }
  }

  @Override
  public void close() {}
}
