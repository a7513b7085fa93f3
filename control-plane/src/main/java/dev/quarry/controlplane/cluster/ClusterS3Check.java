package dev.quarry.controlplane.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.job.io.S3Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the S3 settings a Flink cluster's JobManager runs with ({@code GET /jobmanager/config})
 * to this control plane's: a job whose input the control plane validated on one S3 would otherwise
 * be submitted to a cluster that reads another (it blocks in the JobManager retrying, then fails).
 *
 * <p>flink-s3-fs-hadoop turns every key under {@code s3.}, {@code s3a.} and {@code fs.s3a.} into
 * the {@code fs.s3a.} key of the same name and mirrors {@code access-key} and {@code
 * path-style-access} onto their dotted Hadoop names, so each spelling the cluster sets must agree.
 * What is compared:
 *
 * <ul>
 *   <li>the endpoint, always; a cluster without one reads AWS S3, which only an empty (or {@code
 *       *.amazonaws.com}) endpoint here matches;
 *   <li>path-style access, when the endpoint is not AWS S3 (AWS answers both styles);
 *   <li>the access key, when both sides set one and the cluster shows it (Flink masks values whose
 *       key contains {@code secret}, {@code password}, {@code token} and the like, so secrets are
 *       never compared).
 * </ul>
 */
public final class ClusterS3Check {
  private static final List<String> PREFIXES = List.of("s3.", "s3a.", "fs.s3a.");
  private static final String MASKED = "******";

  private final S3Settings controlPlane;
  private final String controlPlaneSource;

  /**
   * @param controlPlane the S3 settings this control plane validates and writes with
   * @param controlPlaneSource where they come from, for messages, or {@code null} when from the
   *     {@code quarry.s3.*} keys (each mismatch then names its key)
   */
  public ClusterS3Check(S3Settings controlPlane, String controlPlaneSource) {
    this.controlPlane = controlPlane;
    this.controlPlaneSource = controlPlaneSource;
  }

  /** The {@code [{"key": …, "value": …}, …]} answer of {@code GET /jobmanager/config} as a map. */
  public static Map<String, String> parse(JsonNode restConfig) {
    if (restConfig == null || !restConfig.isArray()) {
      throw new IllegalArgumentException(
          "GET /jobmanager/config did not answer with a list: " + restConfig);
    }
    Map<String, String> out = new TreeMap<>();
    for (JsonNode entry : restConfig) {
      if (entry.hasNonNull("key")) {
        out.put(entry.path("key").asText(), entry.path("value").asText(""));
      }
    }
    return out;
  }

  /** Every setting that differs, in a fixed order; empty when the cluster reads the same S3. */
  public List<S3SettingMismatch> compare(Map<String, String> clusterConfig) {
    List<S3SettingMismatch> out = new ArrayList<>();
    boolean clusterSsl = !"false".equalsIgnoreCase(lastOf(clusterConfig, "connection.ssl.enabled"));
    S3EndpointName ours = S3EndpointName.of(controlPlane.endpoint(), true);
    Map<String, String> endpoints = spellings(clusterConfig, "endpoint");
    if (endpoints.isEmpty()) {
      endpoints.put("s3.endpoint", null);
    }
    endpoints.forEach(
        (key, value) -> {
          if (!S3EndpointName.of(value, clusterSsl).sameAs(ours)) {
            out.add(
                mismatch(
                    key,
                    S3EndpointName.of(value, clusterSsl).shown(),
                    ours.shown(),
                    "quarry.s3.endpoint"));
          }
        });
    if (!ours.isAws()) {
      Map<String, String> pathStyle =
          spellings(clusterConfig, "path.style.access", "path-style-access");
      if (pathStyle.isEmpty()) {
        pathStyle.put("s3.path.style.access", null);
      }
      pathStyle.forEach(
          (key, value) -> {
            boolean theirs = value != null && Boolean.parseBoolean(value.trim());
            if (theirs != controlPlane.pathStyleAccess()) {
              out.add(
                  mismatch(
                      key,
                      value == null ? "not set (false)" : value.trim(),
                      Boolean.toString(controlPlane.pathStyleAccess()),
                      "quarry.s3.path-style-access"));
            }
          });
    }
    if (controlPlane.accessKey() != null) {
      spellings(clusterConfig, "access.key", "access-key")
          .forEach(
              (key, value) -> {
                if (!value.isBlank()
                    && !MASKED.equals(value)
                    && !value.trim().equals(controlPlane.accessKey().trim())) {
                  out.add(
                      mismatch(
                          key, value.trim(), controlPlane.accessKey(), "quarry.s3.access-key"));
                }
              });
    }
    return out;
  }

  private S3SettingMismatch mismatch(
      String clusterKey, String clusterValue, String ourValue, String ourKey) {
    return new S3SettingMismatch(
        clusterKey,
        clusterValue,
        ourValue,
        controlPlaneSource == null ? ourKey : controlPlaneSource);
  }

  /** Every key the cluster sets that S3A reads as {@code fs.s3a.<name>}, for any of the names. */
  private static Map<String, String> spellings(Map<String, String> config, String... names) {
    Map<String, String> out = new TreeMap<>();
    for (String prefix : PREFIXES) {
      for (String name : names) {
        String value = config.get(prefix + name);
        if (value != null) {
          out.put(prefix + name, value);
        }
      }
    }
    return out;
  }

  private static String lastOf(Map<String, String> config, String name) {
    String found = null;
    for (String prefix : PREFIXES) {
      found = config.getOrDefault(prefix + name, found);
    }
    return found;
  }
}
