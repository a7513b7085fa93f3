package dev.quarry.controlplane.cluster;

import java.util.Locale;

/** What a remote cluster that reads a different S3 than this control plane leads to. */
public enum S3CheckMode {
  /** Warn at start-up and fail each job before it is submitted, naming the setting. */
  FAIL,
  /**
   * Warn at start-up and before each launch, and submit anyway (the two reach one S3 by different
   * names).
   */
  WARN,
  /** Do not look. */
  OFF;

  /** {@code fail}, {@code warn} or {@code off}. */
  public static S3CheckMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "quarry.flink.s3-check must be fail, warn or off, was " + value, e);
    }
  }
}
