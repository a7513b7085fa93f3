package dev.quarry.job.io;

import java.util.List;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * One object ready to appear under its final name: an output file, or the manifest.
 *
 * @param outputPath the final name
 * @param recoverable what the committer completes, or {@code null} for an output with no lines
 * @param counts the file's counts; for the manifest, the job's
 * @param obsolete states persisted at earlier checkpoints, whose leftovers (S3 keeps a small object
 *     per persist) are removed once the file is committed
 * @param manifestTotal for the manifest, its {@code totalRecordCount}; -1 for an output file
 */
record OutputFileCommittable(
    String outputPath,
    RecoverableWriter.CommitRecoverable recoverable,
    FileCounts counts,
    List<RecoverableWriter.ResumeRecoverable> obsolete,
    long manifestTotal) {

  boolean isManifest() {
    return manifestTotal >= 0;
  }
}
