package dev.quarry.job.io;

import java.io.Serializable;
import org.apache.flink.configuration.Configuration;

/**
 * How Flink's S3 file system reaches S3: an endpoint override (S3Proxy, MinIO, a VPC endpoint) and
 * keys, or nothing at all for AWS S3 with the default credential chain.
 *
 * @param endpoint endpoint URL, or {@code null} for AWS S3
 * @param pathStyleAccess whether buckets go in the path rather than the host name (needed by most
 *     S3 stand-ins)
 * @param accessKey access key, or {@code null} for the default credential chain
 * @param secretKey secret key paired with {@code accessKey}
 * @param patience how long an unreachable endpoint is retried
 */
public record S3Settings(
    String endpoint,
    boolean pathStyleAccess,
    String accessKey,
    String secretKey,
    S3Patience patience)
    implements Serializable {

  public S3Settings {
    if (patience == null) {
      throw new IllegalArgumentException("patience must not be null");
    }
  }

  /** These settings with the default patience. */
  public S3Settings(String endpoint, boolean pathStyleAccess, String accessKey, String secretKey) {
    this(endpoint, pathStyleAccess, accessKey, secretKey, S3Patience.DEFAULTS);
  }

  /** AWS S3 with the default credential chain. */
  public static S3Settings aws() {
    return new S3Settings(null, false, null, null);
  }

  /**
   * S3A's directory-marker policy. Hadoop 3.3's default, {@code delete}, sends a bulk delete of
   * every parent "folder" marker after each object written: a request per output file that Quarry
   * never needs, since it makes no markers. {@code keep} (Hadoop 3.4's default) leaves markers
   * alone; every S3A since 3.2.2 reads a bucket either way.
   */
  static final String DIRECTORY_MARKER_RETENTION = "keep";

  /** Writes these settings as the {@code s3.*} keys flink-s3-fs-hadoop reads. */
  public void applyTo(Configuration conf) {
    conf.setString("s3.directory.marker.retention", DIRECTORY_MARKER_RETENTION);
    if (endpoint != null) {
      conf.setString("s3.endpoint", endpoint);
    }
    conf.setString("s3.path.style.access", Boolean.toString(pathStyleAccess));
    if (accessKey != null) {
      conf.setString("s3.access-key", accessKey);
      conf.setString("s3.secret-key", secretKey);
    }
    patience.applyTo(conf);
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + endpoint
        + ", pathStyleAccess="
        + pathStyleAccess
        + ", credentials="
        + (accessKey == null ? "default-chain" : "static(" + accessKey + ")")
        + ", patience="
        + patience
        + "]";
  }
}
