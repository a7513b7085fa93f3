package dev.quarry.job.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * The job's source enumerator: one split per file of {@link InputFiles}, the same listing
 * validation counted, so the job reads exactly the objects its {@code totalRecordCount} covers.
 */
public final class JsonlFileEnumerator implements FileEnumerator {
  private static final String[] NO_HOSTS = new String[0];

  private long nextId;

  @Override
  public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits)
      throws IOException {
    List<FileSourceSplit> splits = new ArrayList<>();
    for (Path path : paths) {
      for (FileStatus file : InputFiles.list(path)) {
        // No block locations: object stores have no locality, and asking costs a call per file.
        splits.add(
            new FileSourceSplit(
                String.format("%010d", ++nextId),
                file.getPath(),
                0,
                file.getLen(),
                file.getModificationTime(),
                file.getLen(),
                NO_HOSTS));
      }
    }
    return splits;
  }
}
