package dev.quarry.controlplane.retry;

/**
 * An object or prefix in S3, as a job's URIs name it ({@code s3://bucket/key}).
 *
 * @param scheme {@code s3} or {@code s3a}, kept so the names the job saw can be rebuilt
 * @param bucket the bucket
 * @param key the key or prefix, without a leading slash; empty for the bucket's root
 */
record S3Location(String scheme, String bucket, String key) {

  S3Location {
    if (!"s3".equals(scheme) && !"s3a".equals(scheme)) {
      throw new IllegalArgumentException(
          "Not an S3 location (s3:// or s3a://): " + scheme + "://" + bucket + "/" + key);
    }
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("S3 location without a bucket");
    }
    if (key == null || key.startsWith("/")) {
      throw new IllegalArgumentException("S3 key must not start with '/': " + key);
    }
  }

  /** Parses {@code s3://bucket/key} by hand: keys may hold characters a {@code URI} rejects. */
  static S3Location parse(String uri) {
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException("Not an S3 URI: " + uri);
    }
    String rest = uri.substring(schemeEnd + 3);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    return new S3Location(uri.substring(0, schemeEnd), bucket, key);
  }

  /** This location as a folder: the key with one trailing slash (empty for the root). */
  S3Location asFolder() {
    return key.isEmpty() || key.endsWith("/") ? this : new S3Location(scheme, bucket, key + "/");
  }

  /** The location {@code relative} below this folder. */
  S3Location resolve(String relative) {
    return new S3Location(scheme, bucket, asFolder().key + relative);
  }

  /** The last segment of the key. */
  String name() {
    String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    return k.substring(k.lastIndexOf('/') + 1);
  }

  String uri() {
    return scheme + "://" + bucket + "/" + key;
  }

  @Override
  public String toString() {
    return uri();
  }
}
