package dev.quarry.job.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Opens an input file for reading, as the job's source and validation both do: a small object on S3
 * with a single GET ({@link S3Objects}), held in memory; anything else through Flink's file system,
 * which streams it.
 *
 * <p>Sharded inputs are mostly files of a few KiB, where S3A's HEAD before each GET doubled the
 * requests. A large file streams through S3A as before: one more request is nothing beside its
 * size, and S3A reopens a stream that breaks half way.
 */
public final class InputObjects {
  /**
   * The largest input read whole into memory: a few of these are in memory at once per reader
   * ({@link ConcurrentFileReader#FETCHERS}) or per validation thread.
   */
  public static final long WHOLE_READ_MAX_BYTES = 4L * 1024 * 1024;

  private InputObjects() {}

  /**
   * The file's bytes from {@code offset}.
   *
   * @param length the file's length as listed (by {@link InputFiles})
   * @throws java.io.FileNotFoundException when the file is gone
   */
  public static InputStream open(Path path, long length, long offset) throws IOException {
    if (S3Objects.isS3(path) && length - offset <= WHOLE_READ_MAX_BYTES) {
      if (offset >= length) {
        return InputStream
            .nullInputStream(); // restored past the last line: nothing left to ask for
      }
      return new ByteArrayInputStream(S3Objects.of(path).get(path, offset));
    }
    FSDataInputStream in = path.getFileSystem().open(path);
    try {
      if (offset > 0) {
        in.seek(offset);
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }
}
