package dev.quarry.controlplane.cluster;

/**
 * One S3 setting on which a Flink cluster and this control plane disagree, with where each value
 * comes from, so that the message says which file or key to change.
 *
 * @param clusterKey the key in the cluster's configuration (e.g. {@code s3.endpoint}); for a key
 *     the cluster does not set, the usual {@code s3.*} spelling
 * @param clusterValue the cluster's value as written, or what its absence means
 * @param controlPlaneValue this control plane's value as written, or what its absence means
 * @param controlPlaneSource where this control plane's value comes from (a {@code quarry.s3.*} key,
 *     or the local S3 that {@code scripts/quarry serve} started)
 */
public record S3SettingMismatch(
    String clusterKey, String clusterValue, String controlPlaneValue, String controlPlaneSource) {

  public S3SettingMismatch {
    if (clusterKey == null
        || clusterKey.isBlank()
        || clusterValue == null
        || controlPlaneValue == null
        || controlPlaneSource == null) {
      throw new IllegalArgumentException(
          "a mismatch needs a key, both values and the control plane's source");
    }
  }

  /**
   * E.g. {@code s3.endpoint is http://127.0.0.1:8091 in the Flink cluster's configuration (…) but
   * http://127.0.0.1:9091 in this control plane (quarry.s3.endpoint)}.
   */
  public String describe() {
    return clusterKey
        + " is "
        + clusterValue
        + " in the Flink cluster's configuration (its config.yaml, as GET "
        + "/jobmanager/config reports it) but "
        + controlPlaneValue
        + " in this control plane ("
        + controlPlaneSource
        + ")";
  }
}
