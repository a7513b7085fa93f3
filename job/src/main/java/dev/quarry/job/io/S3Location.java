package dev.quarry.job.io;

import java.net.URI;
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
    URI uri = path.toUri();
    String key = uri.getPath() == null ? "" : uri.getPath();
    return new S3Location(uri.getAuthority(), key.startsWith("/") ? key.substring(1) : key);
  }

  /**
   * The key prefix of the objects in {@code folder}: its key with a trailing slash, or "" at the
   * root.
   */
  static String folderKey(Path folder) {
    String path = folder.toUri().getPath();
    String key = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
    return key.isEmpty() || key.endsWith("/") ? key : key + "/";
  }
}
