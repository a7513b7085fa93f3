package dev.quarry.job.io;

import dev.quarry.job.stop.StopMarker;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collection;
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
  /**
   * How a leftover's name starts on S3: the S3 recoverable writer's parts are {@code _<name>_tmp_…}
   * and the stop marker is {@code _quarry_stop}; {@code .…inprogress…} files are the local file
   * system's. (S3Proxy also widens a prefix ending in "." to the whole folder.)
   */
  private static final String S3_LEFTOVER_START = "_";

  private LeftoverSweeper() {}

  /**
   * Deletes leftovers directly in each of {@code folders}, not below them: enough when the folders
   * are all an attempt wrote to, since a leftover lies next to the output it was for. On S3 only
   * names that can be leftovers are listed: a folder of 10,000 outputs costs one small request, not
   * ten pages of 1,000 keys (which S3Proxy's folder store reads whole for each page).
   */
  static int sweepFolders(Collection<Path> folders) throws IOException {
    int deleted = 0;
    for (Path folder : folders) {
      if (S3Objects.isS3(folder)) {
        S3Objects s3 = S3Objects.of(folder);
        for (Path object : s3.namesStartingWith(folder, S3_LEFTOVER_START)) {
          if (isLeftover(object.getName())) {
            s3.delete(object);
            deleted++;
          }
        }
      } else {
        deleted += sweepIn(folder, false);
      }
    }
    return deleted;
  }

  /** Deletes leftovers under {@code dir}, recursively; returns how many. */
  static int sweep(Path dir) throws IOException {
    return sweepIn(dir, true);
  }

  /**
   * Deletes the leftovers in {@code dir}, and below it when {@code recursive}; returns how many.
   */
  private static int sweepIn(Path dir, boolean recursive) throws IOException {
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
        deleted += recursive ? sweepIn(entry.getPath(), true) : 0;
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
