package dev.quarry.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.io.S3Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The comparison of a cluster's {@code GET /jobmanager/config} with the control plane's S3
 * settings.
 */
class ClusterS3CheckTest {
  private static final S3Settings LOCAL =
      new S3Settings("http://127.0.0.1:8091", true, "quarry", "quarry-secret");

  private static Map<String, String> cluster(String... keyValues) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.put(keyValues[i], keyValues[i + 1]);
    }
    out.put("rest.port", "8081"); // unrelated keys are ignored
    return out;
  }

  private static List<S3SettingMismatch> compare(S3Settings ours, Map<String, String> theirs) {
    return new ClusterS3Check(ours, null).compare(theirs);
  }

  @Test
  void theShippedClusterConfigMatchesTheLocalStack() {
    assertThat(
            compare(
                LOCAL,
                cluster(
                    "s3.endpoint",
                    "http://127.0.0.1:8091",
                    "s3.path.style.access",
                    "true",
                    "s3.access-key",
                    "quarry",
                    "s3.secret-key",
                    "******")))
        .isEmpty();
  }

  @Test
  void anotherPortIsAMismatchNamingTheKeyBothValuesAndTheirSources() {
    List<S3SettingMismatch> found =
        compare(
            new S3Settings("http://127.0.0.1:9191", true, "quarry", "x"),
            cluster("s3.endpoint", "http://127.0.0.1:8091", "s3.path.style.access", "true"));
    assertThat(found)
        .containsExactly(
            new S3SettingMismatch(
                "s3.endpoint",
                "http://127.0.0.1:8091",
                "http://127.0.0.1:9191",
                "quarry.s3.endpoint"));
    assertThat(found.get(0).describe())
        .isEqualTo(
            "s3.endpoint is http://127.0.0.1:8091 in the Flink cluster's "
                + "configuration (its config.yaml, as GET /jobmanager/config reports it) but http://127.0.0.1:9191 in this "
                + "control plane (quarry.s3.endpoint)");
  }

  @Test
  void spellingsOfOneEndpointAgree() {
    S3Settings ours = new S3Settings("HTTP://MinIO.local:9000/", true, null, null);
    assertThat(
            compare(
                ours,
                cluster("s3.endpoint", "http://minio.local:9000", "s3.path.style.access", "true")))
        .isEmpty();
    assertThat(
            compare(
                new S3Settings("http://minio.local:80", true, null, null),
                cluster("s3.endpoint", "http://minio.local//", "s3.path.style.access", "true")))
        .isEmpty();
    // S3A reaches an endpoint without a scheme over https unless the cluster turns SSL off
    assertThat(
            compare(
                new S3Settings("https://minio.local:9000", true, null, null),
                cluster("s3.endpoint", "minio.local:9000", "s3.path.style.access", "true")))
        .isEmpty();
    assertThat(
            compare(
                new S3Settings("http://minio.local:9000", true, null, null),
                cluster(
                    "s3.endpoint",
                    "minio.local:9000",
                    "s3.path.style.access",
                    "true",
                    "s3.connection.ssl.enabled",
                    "false")))
        .isEmpty();
    assertThat(
            compare(
                new S3Settings("http://minio.local:9000", true, null, null),
                cluster("s3.endpoint", "minio.local:9000", "s3.path.style.access", "true")))
        .hasSize(1);
  }

  @Test
  void everyPrefixTheS3PluginReadsCounts() {
    S3Settings ours = new S3Settings("http://127.0.0.1:8091", true, null, null);
    assertThat(
            compare(
                ours,
                cluster(
                    "fs.s3a.endpoint", "http://127.0.0.1:8091", "s3a.path-style-access", "true")))
        .isEmpty();
    List<S3SettingMismatch> found =
        compare(
            ours,
            cluster(
                "s3.endpoint",
                "http://127.0.0.1:8091",
                "fs.s3a.endpoint",
                "http://10.0.0.5:9000",
                "s3.path.style.access",
                "true"));
    assertThat(found).extracting(S3SettingMismatch::clusterKey).containsExactly("fs.s3a.endpoint");
    assertThat(found.get(0).clusterValue()).isEqualTo("http://10.0.0.5:9000");
  }

  @Test
  void aClusterWithoutAnEndpointReadsAwsS3() {
    assertThat(compare(S3Settings.aws(), cluster())).isEmpty();
    assertThat(
            compare(
                new S3Settings("https://s3.eu-west-1.amazonaws.com", false, null, null), cluster()))
        .as("an AWS endpoint is AWS S3")
        .isEmpty();
    assertThat(
            compare(
                S3Settings.aws(), cluster("s3.endpoint", "https://s3.us-east-1.amazonaws.com/")))
        .isEmpty();
    assertThat(compare(LOCAL, cluster()))
        .containsExactly(
            new S3SettingMismatch(
                "s3.endpoint", "not set (AWS S3)", "http://127.0.0.1:8091", "quarry.s3.endpoint"),
            new S3SettingMismatch(
                "s3.path.style.access", "not set (false)", "true", "quarry.s3.path-style-access"));
    assertThat(compare(S3Settings.aws(), cluster("s3.endpoint", "http://127.0.0.1:8091")))
        .containsExactly(
            new S3SettingMismatch(
                "s3.endpoint", "http://127.0.0.1:8091", "not set (AWS S3)", "quarry.s3.endpoint"));
  }

  @Test
  void pathStyleMattersOnlyOffAws() {
    assertThat(
            compare(
                LOCAL,
                cluster("s3.endpoint", "http://127.0.0.1:8091", "s3.path.style.access", "false")))
        .containsExactly(
            new S3SettingMismatch(
                "s3.path.style.access", "false", "true", "quarry.s3.path-style-access"));
    assertThat(
            compare(
                LOCAL,
                cluster("s3.endpoint", "http://127.0.0.1:8091", "s3.path-style-access", "TRUE")))
        .isEmpty();
    assertThat(
            compare(
                new S3Settings(null, true, null, null), cluster("s3.path.style.access", "false")))
        .isEmpty();
  }

  @Test
  void aVisibleAccessKeyIsComparedAndAMaskedOneIsNot() {
    Map<String, String> base =
        cluster("s3.endpoint", "http://127.0.0.1:8091", "s3.path.style.access", "true");
    base.put("s3.access.key", "someone-else");
    assertThat(compare(LOCAL, base))
        .containsExactly(
            new S3SettingMismatch(
                "s3.access.key", "someone-else", "quarry", "quarry.s3.access-key"));
    base.put("s3.access.key", "******");
    assertThat(compare(LOCAL, base)).isEmpty();
    base.put("s3.access.key", "someone-else");
    assertThat(compare(new S3Settings("http://127.0.0.1:8091", true, null, null), base))
        .as("the default credential chain here may hold any key")
        .isEmpty();
  }

  @Test
  void theControlPlanesSourceIsNamedWhenItIsNotAKey() {
    List<S3SettingMismatch> found =
        new ClusterS3Check(LOCAL, "the local S3 that scripts/quarry serve runs")
            .compare(
                cluster("s3.endpoint", "http://127.0.0.1:9091", "s3.path.style.access", "true"));
    assertThat(found)
        .extracting(S3SettingMismatch::controlPlaneSource)
        .containsExactly("the local S3 that scripts/quarry serve runs");
  }

  @Test
  void parsesTheRestAnswer() throws Exception {
    String answer =
        "[{\"key\":\"s3.endpoint\",\"value\":\"http://127.0.0.1:8091\"},"
            + "{\"key\":\"s3.secret-key\",\"value\":\"******\"},{\"key\":\"rest.port\",\"value\":\"8081\"}]";
    Map<String, String> parsed = ClusterS3Check.parse(new ObjectMapper().readTree(answer));
    assertThat(parsed).containsEntry("s3.endpoint", "http://127.0.0.1:8091").hasSize(3);
    assertThatThrownBy(() -> ClusterS3Check.parse(new ObjectMapper().readTree("{\"errors\":[]}")))
        .hasMessageContaining("/jobmanager/config");
  }
}
