package dev.quarry.controlplane.lifecycle;

import dev.quarry.job.listing.ValidatedFile;
import java.util.List;

/**
 * The outcome of validating a job's input: the files it counted, or what is wrong and where.
 *
 * @param files every input file with its record count, in listing order, when valid; empty when not
 * @param failure the reason the job cannot run, or {@code null} when it can
 */
public record InputCheck(List<ValidatedFile> files, String failure) {
  public InputCheck {
    files = List.copyOf(files);
    if (failure == null && files.isEmpty()) {
      throw new IllegalArgumentException("a valid input has files");
    }
  }

  public static InputCheck ok(List<ValidatedFile> files) {
    return new InputCheck(files, null);
  }

  public static InputCheck failed(String failure) {
    return new InputCheck(List.of(), failure);
  }

  public boolean isValid() {
    return failure == null;
  }

  /** Records found (non-blank lines) in every file; 0 when not valid. */
  public long totalRecordCount() {
    return ValidatedFile.totalRecords(files);
  }
}
