package dev.quarry.controlplane.retry;

/** Why a record is in a retry's input. */
public enum RetryReason {
  /** The record has no output line: the job ended before it got to it. */
  NOT_PROCESSED("not processed"),
  /** Its error line has a code another attempt may get past (408, 424, 429, 5xx). */
  RETRYABLE_ERROR("retryable error"),
  /** Its error line has any other code (only with {@code --errors all}). */
  OTHER_ERROR("other error"),
  /** The job could not parse the input line (only with {@code --errors all}); copied as it was. */
  INVALID_LINE("invalid input line");

  private final String label;

  RetryReason(String label) {
    this.label = label;
  }

  /** How the summary names it. */
  public String label() {
    return label;
  }
}
