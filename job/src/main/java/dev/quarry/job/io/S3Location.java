package dev.quarry.job.io;

import org.apache.flink.core.fs.Path;

/**
 * An S3 object's bucket and key, from an {@code s3://bucket/key} path.
 *
 * @param bucket the bucket
 * @param key the key, without a leading slash
 */
record S3Location(String bucket, String key) {
  S3Location {
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("An S3 path needs a bucket");
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("An S3 object needs a key, in bucket " + bucket);
    }
  }

  static S3Location of(Path path) {
    return new S3Location(path.toUri().getAuthority(), keyOf(path));
  }

  /**
   * The key prefix of the objects in {@code folder}: its key with a trailing slash, or "" at the
   * root.
   */
  static String folderKey(Path folder) {
    String key = keyOf(folder);
    return key.isEmpty() || key.endsWith("/") ? key : key + "/";
  }

  /** The path's key: its path without the leading slash, "" at the bucket's root. */
  private static String keyOf(Path path) {
    String key = path.toUri().getPath() == null ? "" : path.toUri().getPath();
    return key.startsWith("/") ? key.substring(1) : key;
  }
}
