package dev.quarry.job.listing;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One input file as validation listed and counted it: what the job's source reads instead of
 * listing the input again.
 *
 * @param path the file as Flink's file systems name it, e.g. {@code s3://bucket/prefix/a.jsonl}
 * @param sizeBytes its size as listed
 * @param modifiedMillis its modification time as listed, epoch milliseconds
 * @param records its non-blank lines, as validation counted them
 */
public record ValidatedFile(String path, long sizeBytes, long modifiedMillis, long records)
    implements Serializable {
  public ValidatedFile {
    Objects.requireNonNull(path, "path");
    if (path.isBlank()) {
      throw new IllegalArgumentException("a validated file needs a path");
    }
    if (sizeBytes < 0 || records < 0) {
      throw new IllegalArgumentException(
          path + ": size and records cannot be negative, were " + sizeBytes + " and " + records);
    }
  }

  /** The records of {@code files} together: the job's {@code totalRecordCount}. */
  public static long totalRecords(List<ValidatedFile> files) {
    return files.stream().mapToLong(ValidatedFile::records).sum();
  }
}
