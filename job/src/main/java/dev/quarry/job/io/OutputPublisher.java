package dev.quarry.job.io;

import java.io.IOException;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * Makes one committable's object appear under its final name, never partly written.
 *
 * <p>A streamed output is completed from its recoverable, then the parts its earlier persists left
 * are removed. A whole output is written in one piece: on S3 with one PUT through the SDK ({@link
 * S3Objects}), since an object appears only once its upload completes; on a file system through its
 * {@code RecoverableWriter}, which writes a hidden file and renames it into place. Publishing the
 * same committable again, as Flink does after a restore, gives the same object.
 */
final class OutputPublisher implements ParallelPublisher.Publish {
  /** Which {@link S3Objects} publishes a whole output to S3. */
  @FunctionalInterface
  interface S3Route {
    S3Objects of(Path path) throws IOException;
  }

  private final RecoverableWriter writer;
  private final S3Route s3;

  OutputPublisher(RecoverableWriter writer) {
    this(writer, S3Objects::of);
  }

  OutputPublisher(RecoverableWriter writer, S3Route s3) {
    this.writer = writer;
    this.s3 = s3;
  }

  @Override
  public void publish(OutputFileCommittable c) throws IOException {
    if (c.recoverable() != null) {
      writer.recoverForCommit(c.recoverable()).commitAfterRecovery();
      for (RecoverableWriter.ResumeRecoverable leftover : c.obsolete()) {
        writer.cleanupRecoverableState(leftover);
      }
      return;
    }
    Path path = new Path(c.outputPath());
    if (S3Objects.isS3(path)) {
      s3.of(path).put(path, c.contents());
    } else {
      RecoverableFsDataOutputStream out = writer.open(path);
      out.write(c.contents());
      out.closeForCommit().commit();
    }
  }
}
