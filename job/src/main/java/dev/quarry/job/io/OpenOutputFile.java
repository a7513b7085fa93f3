package dev.quarry.job.io;

import java.util.List;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * The checkpointed state of one output file still being written.
 *
 * @param inputFile the input file it answers
 * @param outputPath its final name
 * @param resumable where writing resumes after a restore, or {@code null} if nothing was written yet
 * @param obsolete earlier persisted states to clean up after commit (S3 only)
 * @param counts its counts so far
 */
record OpenOutputFile(
    String inputFile,
    String outputPath,
    RecoverableWriter.ResumeRecoverable resumable,
    List<RecoverableWriter.ResumeRecoverable> obsolete,
    FileCounts counts) {}
