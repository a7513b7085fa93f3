package dev.quarry.job.io;

import dev.quarry.job.progress.ProgressReporter;
import dev.quarry.job.progress.ProgressReporterFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * Makes output files appear under their final names once the checkpoint that closed them is
 * complete, many at once; the manifest only after every output file; then sweeps up what failed
 * attempts left behind and reports the manifest's counts as the job's final progress.
 *
 * <p>Commits are idempotent: after a restore Flink commits again what the restored checkpoint held,
 * and publishing a committable again gives the same object.
 */
final class OutputFileCommitter implements Committer<OutputFileCommittable> {
  /**
   * Publishes in flight at once: enough to hide S3's 50-100 ms per request across thousands of
   * small files, well below S3A's 96 connections.
   */
  static final int PUBLISH_THREADS = 16;

  private final ParallelPublisher.Publish publish;
  private final ParallelPublisher files;
  private final String jobId;
  private final ProgressReporterFactory reporters;
  private final Path jobOutputDir;

  /**
   * Whether this is the job's first attempt, not restored: then every folder the job wrote to held
   * an output this committer published, and only those folders can hold leftovers.
   */
  private final boolean firstAttempt;

  /** The folders of the outputs published so far, and the job's folder (the stop marker's). */
  private final Set<Path> writtenFolders = new HashSet<>();

  OutputFileCommitter(
      RecoverableWriter writer,
      String jobId,
      ProgressReporterFactory reporters,
      Path jobOutputDir,
      boolean firstAttempt) {
    this(
        new OutputPublisher(writer), PUBLISH_THREADS, jobId, reporters, jobOutputDir, firstAttempt);
  }

  OutputFileCommitter(
      ParallelPublisher.Publish publish,
      int threads,
      String jobId,
      ProgressReporterFactory reporters,
      Path jobOutputDir,
      boolean firstAttempt) {
    this.publish = publish;
    this.files = new ParallelPublisher(threads, publish);
    this.jobId = jobId;
    this.reporters = reporters;
    this.jobOutputDir = jobOutputDir;
    this.firstAttempt = firstAttempt;
    writtenFolders.add(jobOutputDir);
  }

  @Override
  public void commit(Collection<CommitRequest<OutputFileCommittable>> requests)
      throws IOException, InterruptedException {
    List<OutputFileCommittable> outputs = new ArrayList<>();
    List<OutputFileCommittable> manifests = new ArrayList<>();
    for (CommitRequest<OutputFileCommittable> request : requests) {
      OutputFileCommittable c = request.getCommittable();
      (c.isManifest() ? manifests : outputs).add(c);
    }
    // Returns only when all are published; a failure fails the task before any manifest is written.
    files.publishAll(outputs);
    for (OutputFileCommittable output : outputs) {
      writtenFolders.add(new Path(output.outputPath()).getParent());
    }
    for (OutputFileCommittable manifest : manifests) {
      publish.publish(manifest);
      // A restored attempt cannot know where earlier attempts wrote: it looks everywhere.
      if (firstAttempt) {
        LeftoverSweeper.sweepFolders(writtenFolders);
      } else {
        LeftoverSweeper.sweep(jobOutputDir);
      }
      try (ProgressReporter reporter = reporters.create(jobId)) {
        reporter.reportFinal(manifest.manifestTotal(), manifest.counts().toProgress());
      }
    }
  }

  @Override
  public void close() {
    files.close();
  }
}
