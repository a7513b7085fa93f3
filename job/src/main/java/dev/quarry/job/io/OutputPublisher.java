package dev.quarry.job.io;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * Makes one committable's object appear under its final name, never partly written.
 *
 * <p>A streamed output is completed from its recoverable, then the parts its earlier persists left
 * are removed. A whole output is written in one piece: on S3 with one upload, since an object
 * appears only once its upload completes; on a file system through its {@code RecoverableWriter},
 * which writes a hidden file and renames it into place. Publishing the same committable again, as
 * Flink does after a restore, gives the same object.
 */
final class OutputPublisher implements ParallelPublisher.Publish {
  /** Schemes of Flink's S3 file systems, where a single upload is atomic. */
  private static final Set<String> S3_SCHEMES = Set.of("s3", "s3a", "s3p");

  private final RecoverableWriter writer;

  OutputPublisher(RecoverableWriter writer) {
    this.writer = writer;
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
    if (isS3(path)) {
      // One PUT on close (below the multipart size); an empty upload still makes an (empty) object.
      try (FSDataOutputStream out =
          path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
        out.write(c.contents());
      }
    } else {
      RecoverableFsDataOutputStream out = writer.open(path);
      out.write(c.contents());
      out.closeForCommit().commit();
    }
  }

  static boolean isS3(Path path) {
    String scheme = path.toUri().getScheme();
    return scheme != null && S3_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
  }
}
