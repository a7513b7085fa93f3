package dev.quarry.controlplane.retry;

/**
 * One file an ended job read.
 *
 * @param location where it is
 * @param jobPath the name the job knew it by (a Flink path), from which it derived generated record
 *     ids
 * @param relativeName its name relative to the job's input prefix, which its output file and its
 *     retry input keep
 */
record InputFile(S3Location location, String jobPath, String relativeName) {

  InputFile {
    if (relativeName == null || relativeName.isEmpty() || relativeName.startsWith("/")) {
      throw new IllegalArgumentException(
          "Relative name must be a non-empty relative path, was " + relativeName);
    }
  }
}
