package dev.quarry.job.stop;

import dev.quarry.job.spec.JobSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The request to stop a job, as a marker object in its output folder ({@code _quarry_stop}).
 *
 * <p>Stop then takes two steps: the control plane (or a user with {@code touch}) writes the marker,
 * so the job stops taking new records at once; then it stops the Flink job with a draining
 * savepoint, which commits every output file as far as it got and writes the manifest. Without the
 * marker, the drain would first call the model for every record already buffered between operators.
 * A marker in the output folder reaches every TaskManager that can write the output, on any
 * cluster.
 */
public final class StopMarker implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "_quarry_stop";

  private final String path;

  public StopMarker(String jobOutputUri) {
    this.path = (jobOutputUri.endsWith("/") ? jobOutputUri : jobOutputUri + "/") + NAME;
  }

  public static StopMarker of(JobSpec spec) {
    return new StopMarker(spec.jobOutputUri());
  }

  /** Writes the marker; the job stops taking new records within about a second. */
  public void request() throws IOException {
    Path p = new Path(path);
    try (FSDataOutputStream out = p.getFileSystem().create(p, FileSystem.WriteMode.OVERWRITE)) {
      out.write(new byte[0]);
    }
  }

  /**
   * Whether the marker is there. Opens it rather than asking whether it exists: on S3 that is one
   * HEAD, where {@code exists} adds a LIST to look for a folder of that name.
   */
  public boolean isRequested() throws IOException {
    Path p = new Path(path);
    try (FSDataInputStream in = p.getFileSystem().open(p)) {
      return true;
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  /** Where the marker is. */
  String path() {
    return path;
  }

  /** Removes the marker once the job is over. */
  public void clear() throws IOException {
    Path p = new Path(path);
    p.getFileSystem().delete(p, false);
  }
}
