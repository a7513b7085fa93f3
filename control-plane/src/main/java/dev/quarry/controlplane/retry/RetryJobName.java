package dev.quarry.controlplane.retry;

/**
 * The name of a job's n-th retry: {@code <name>-retry-<n>}, the old name shortened to fit Bedrock's
 * 63 characters.
 */
final class RetryJobName {
  static final int MAX_LENGTH = 63;

  private RetryJobName() {}

  static String of(String oldName, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Retry number must be at least 1, was " + n);
    }
    String suffix = "-retry-" + n;
    // Any non-empty prefix of a valid job name is valid, and so is that prefix plus this suffix.
    String base =
        oldName.length() + suffix.length() <= MAX_LENGTH
            ? oldName
            : oldName.substring(0, MAX_LENGTH - suffix.length());
    return base + suffix;
  }
}
