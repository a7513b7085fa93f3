package dev.quarry.controlplane.access;

import java.util.List;

/**
 * What one access key's jobs may read and write: prefixes of input and output URIs. The service
 * reads and writes with its own S3 credentials, so this list is what keeps one team's job from
 * reading another team's bucket, or copying lines (output embeds {@code modelInput}) into it.
 */
public record DataAccess(S3Prefixes input, S3Prefixes output) {
  /** Every bucket the service can reach, for the stack's own key. */
  public static final DataAccess EVERYTHING =
      of(List.of(S3Prefixes.SCHEME), List.of(S3Prefixes.SCHEME));

  public DataAccess {
    if (input == null || output == null) {
      throw new IllegalArgumentException(
          "input and output prefixes are required (an empty list allows nothing)");
    }
  }

  public static DataAccess of(List<String> input, List<String> output) {
    return new DataAccess(new S3Prefixes(input), new S3Prefixes(output));
  }
}
