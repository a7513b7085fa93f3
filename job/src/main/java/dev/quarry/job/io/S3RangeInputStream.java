package dev.quarry.job.io;

import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.Path;

/**
 * A large S3 object read in ranged GETs of a bounded size, each response read whole before the
 * first of its bytes is returned, so no HTTP response stays open while the reader waits.
 *
 * <p>A reader is held back for minutes when the model is slower than the input (Flink's
 * backpressure). Through S3A's stream the GET stayed open all that time; S3Proxy's Jetty closed it
 * after 30 s idle, S3A's re-open failed on the dead pooled connection, and the job restarted from
 * its checkpoint, calling the model again for what it had done since. Every range after the first
 * asks for the version the first one read ({@code If-Match}), so an object replaced half way fails
 * the read instead of mixing two versions.
 */
final class S3RangeInputStream extends InputStream {
  private final S3Objects objects;
  private final Path path;
  private final long end;
  private final int rangeBytes;
  private long next;
  private String eTag;
  private byte[] buffer = new byte[0];
  private int position;

  /**
   * @param from the first byte to read
   * @param end the object's length as listed: bytes from there on are not read
   * @param rangeBytes the most one GET asks for (and holds in memory)
   */
  S3RangeInputStream(S3Objects objects, Path path, long from, long end, int rangeBytes) {
    if (from < 0 || end < from || rangeBytes < 1) {
      throw new IllegalArgumentException(
          "bad range of " + path + ": from " + from + " to " + end + " by " + rangeBytes);
    }
    this.objects = objects;
    this.path = path;
    this.next = from;
    this.end = end;
    this.rangeBytes = rangeBytes;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, buffer.length - position);
    System.arraycopy(buffer, position, into, offset, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return buffer.length - position;
  }

  /** Fetches the next range once the buffer is used up; false at the end. */
  private boolean fill() throws IOException {
    if (position < buffer.length) {
      return true;
    }
    if (next >= end) {
      return false;
    }
    long to = Math.min(end, next + rangeBytes);
    S3Objects.ObjectRange range = objects.getRange(path, next, to, eTag);
    if (range.bytes().length == 0) {
      throw new IOException(
          "Input object " + path + " is shorter than the " + end + " bytes it was listed with");
    }
    eTag = range.eTag();
    buffer = range.bytes();
    position = 0;
    next += buffer.length;
    return true;
  }
}
