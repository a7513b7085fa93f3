package dev.quarry.job.io;

import java.util.List;
import java.util.Objects;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * The checkpointed state of one output file still being written: either its lines so far, while the
 * output is small, or where its stream resumes. Exactly one of the two is set.
 *
 * @param inputFile the input file it answers
 * @param outputPath its final name
 * @param resumable where writing resumes after a restore, for an output already streaming;
 *     otherwise {@code null}
 * @param buffered the output so far, for a small output not streaming yet; otherwise {@code null}
 * @param obsolete earlier persisted states to clean up after commit (S3 only)
 * @param counts its counts so far
 */
record OpenOutputFile(
    String inputFile,
    String outputPath,
    RecoverableWriter.ResumeRecoverable resumable,
    byte[] buffered,
    List<RecoverableWriter.ResumeRecoverable> obsolete,
    FileCounts counts) {

  OpenOutputFile {
    Objects.requireNonNull(inputFile, "inputFile");
    Objects.requireNonNull(outputPath, "outputPath");
    Objects.requireNonNull(counts, "counts");
    if ((resumable == null) == (buffered == null)) {
      throw new IllegalArgumentException(
          outputPath + ": exactly one of resumable and buffered must be set");
    }
    obsolete = List.copyOf(obsolete);
  }
}
