package dev.quarry.job.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Opens an input file for reading, as the job's source and validation both do: on S3 through the
 * SDK ({@link S3Objects}), a small object with a single GET, a large one in ranged GETs ({@link
 * S3RangeInputStream}); anything else through Flink's file system, which streams it.
 *
 * <p>Sharded inputs are mostly files of a few KiB, where S3A's HEAD before each GET doubled the
 * requests. A large file is read a range at a time so that no GET stays open while the reader is
 * held back by slower model calls (S3A's stream did, and a server closing the idle connection
 * failed the job).
 */
public final class InputObjects {
  /**
   * The largest input read whole into memory, and the largest range of a larger one: a few of these
   * are in memory at once per reader ({@link ConcurrentFileReader#FETCHERS}) or per validation
   * thread.
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
    if (S3Objects.isS3(path)) {
      if (offset >= length) {
        return InputStream.nullInputStream(); // restored past the last line: nothing to ask for
      }
      S3Objects objects = S3Objects.of(path);
      if (length - offset <= WHOLE_READ_MAX_BYTES) {
        return new ByteArrayInputStream(objects.get(path, offset));
      }
      return new S3RangeInputStream(objects, path, offset, length, (int) WHOLE_READ_MAX_BYTES);
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
