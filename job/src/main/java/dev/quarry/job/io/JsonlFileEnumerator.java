package dev.quarry.job.io;

import dev.quarry.job.listing.StoredInputListing;
import dev.quarry.job.listing.ValidatedFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's source enumerator: one split per input file. A job the control plane validated reads
 * the files validation counted ({@link StoredInputListing}), so it reads exactly the objects its
 * {@code totalRecordCount} covers, and the input is not listed a second time; without a stored
 * listing (a spec run by hand) it lists {@link InputFiles}, as validation would.
 */
public final class JsonlFileEnumerator implements FileEnumerator {
  private static final Logger LOG = LoggerFactory.getLogger(JsonlFileEnumerator.class);
  private static final String[] NO_HOSTS = new String[0];

  private final StoredInputListing validated;
  private long nextId;

  /** Lists the input. */
  public JsonlFileEnumerator() {
    this(null);
  }

  /** Reads the listing {@code validated} holds, if it holds one; else lists the input. */
  public JsonlFileEnumerator(StoredInputListing validated) {
    this.validated = validated;
  }

  @Override
  public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits)
      throws IOException {
    List<FileSourceSplit> splits = new ArrayList<>();
    Optional<List<ValidatedFile>> stored = validated == null ? Optional.empty() : validated.read();
    if (stored.isPresent()) {
      for (ValidatedFile file : stored.get()) {
        splits.add(split(new Path(file.path()), file.sizeBytes(), file.modifiedMillis()));
      }
      LOG.info(
          "Job {}: reading the {} input files validation counted",
          validated.jobId(),
          splits.size());
      return splits;
    }
    for (Path path : paths) {
      for (FileStatus file : InputFiles.list(path)) {
        splits.add(split(file.getPath(), file.getLen(), file.getModificationTime()));
      }
    }
    return splits;
  }

  private FileSourceSplit split(Path file, long size, long modifiedMillis) {
    // No block locations: object stores have no locality, and asking costs a call per file.
    return new FileSourceSplit(
        String.format("%010d", ++nextId), file, 0, size, modifiedMillis, size, NO_HOSTS);
  }
}
