package dev.quarry.job.io;

import java.util.List;
import java.util.Objects;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * One object ready to appear under its final name: an output file, or the manifest.
 *
 * <p>A small output travels whole ({@code contents}) and is written in one piece when committed; a
 * large one was streamed through the file system's {@code RecoverableWriter} and is committed from
 * its {@code recoverable}. Exactly one of the two is set.
 *
 * @param outputPath the final name
 * @param recoverable what the committer completes, for a streamed output; otherwise {@code null}
 * @param contents the whole object, for a small output (empty for an input without lines);
 *     otherwise {@code null}
 * @param counts the file's counts; for the manifest, the job's
 * @param obsolete states persisted at earlier checkpoints, whose leftovers (S3 keeps a small object
 *     per persist) are removed once the file is committed
 * @param manifestTotal for the manifest, its {@code totalRecordCount}; -1 for an output file
 */
record OutputFileCommittable(
    String outputPath,
    RecoverableWriter.CommitRecoverable recoverable,
    byte[] contents,
    FileCounts counts,
    List<RecoverableWriter.ResumeRecoverable> obsolete,
    long manifestTotal) {

  OutputFileCommittable {
    Objects.requireNonNull(outputPath, "outputPath");
    Objects.requireNonNull(counts, "counts");
    if ((recoverable == null) == (contents == null)) {
      throw new IllegalArgumentException(
          outputPath + ": exactly one of recoverable and contents must be set");
    }
    if (manifestTotal >= 0 && contents == null) {
      throw new IllegalArgumentException("The manifest is always written whole");
    }
    obsolete = List.copyOf(obsolete);
  }

  /** An output file streamed through the RecoverableWriter. */
  static OutputFileCommittable streamed(
      String outputPath,
      RecoverableWriter.CommitRecoverable recoverable,
      FileCounts counts,
      List<RecoverableWriter.ResumeRecoverable> obsolete) {
    return new OutputFileCommittable(outputPath, recoverable, null, counts, obsolete, -1);
  }

  /** A small output file, whole. */
  static OutputFileCommittable whole(String outputPath, byte[] contents, FileCounts counts) {
    return new OutputFileCommittable(outputPath, null, contents, counts, List.of(), -1);
  }

  /** The manifest with the job's counts. */
  static OutputFileCommittable manifest(
      String outputPath, byte[] json, FileCounts counts, long total) {
    if (total < 0) {
      throw new IllegalArgumentException("manifest total must not be negative, was " + total);
    }
    return new OutputFileCommittable(outputPath, null, json, counts, List.of(), total);
  }

  boolean isManifest() {
    return manifestTotal >= 0;
  }
}
