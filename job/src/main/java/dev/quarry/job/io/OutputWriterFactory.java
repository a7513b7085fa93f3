package dev.quarry.job.io;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * The {@link RecoverableWriter} of the output file system, created where it is used (writer,
 * committer, state serializers) because it cannot travel with the job graph.
 */
final class OutputWriterFactory implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String outputDir;
  private transient RecoverableWriter writer;

  OutputWriterFactory(String outputDir) {
    this.outputDir = outputDir;
  }

  synchronized RecoverableWriter writer() {
    if (writer == null) {
      try {
        writer = new Path(outputDir).getFileSystem().createRecoverableWriter();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write recoverably to " + outputDir, e);
      }
    }
    return writer;
  }
}
