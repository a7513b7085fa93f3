package dev.quarry.job.io;

import dev.quarry.job.stop.StopMarker;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Deletes what failed attempts leave in a job's output folder: the recoverable writer's in-progress
 * files ({@code .x.inprogress.<uuid>} locally, {@code _x_tmp_<uuid>} objects on S3) from writes or
 * persists after the checkpoint the job was restored from, and the {@link StopMarker} of a stopped
 * job. Nothing references them any more.
 *
 * <p>Runs once, after the manifest is committed: the folder belongs to this job alone and every
 * output file is final by then.
 */
final class LeftoverSweeper {
  private LeftoverSweeper() {}

  /** Deletes leftovers under {@code dir}, recursively; returns how many. */
  static int sweep(Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem();
    FileStatus[] entries;
    try {
      // No exists() first: on S3 that is two more requests, and a folder of 10,000 outputs lists
      // slowly.
      entries = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return 0;
    }
    if (entries == null) {
      return 0;
    }
    int deleted = 0;
    for (FileStatus entry : entries) {
      if (entry.isDir()) {
        deleted += sweep(entry.getPath());
      } else if (isLeftover(entry.getPath().getName())) {
        fs.delete(entry.getPath(), false);
        deleted++;
      }
    }
    return deleted;
  }

  static boolean isLeftover(String name) {
    return StopMarker.NAME.equals(name)
        || (name.startsWith(".") && name.contains(".inprogress."))
        || (name.startsWith("_") && name.contains("_tmp_"));
  }
}
