package dev.quarry.controlplane.lifecycle;

/**
 * The outcome of validating a job's input: its record count, or what is wrong and where.
 *
 * @param totalRecordCount records found (non-blank lines), when valid
 * @param failure the reason the job cannot run, or {@code null} when it can
 */
public record InputCheck(long totalRecordCount, String failure) {

  public static InputCheck ok(long totalRecordCount) {
    return new InputCheck(totalRecordCount, null);
  }

  public static InputCheck failed(String failure) {
    return new InputCheck(-1, failure);
  }

  public boolean isValid() {
    return failure == null;
  }
}
