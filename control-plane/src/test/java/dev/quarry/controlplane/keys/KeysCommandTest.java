package dev.quarry.controlplane.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.testing.ControlPlaneFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.bedrock.BedrockClient;

/**
 * {@code scripts/quarry keys}, and a running control plane following its key files without a
 * restart.
 */
class KeysCommandTest {
  private static final long FOLLOW_MILLIS = 5_000;

  @Test
  void createListAndRevokeEditTheDataDirectorysKeyFile(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Map<String, String> created =
        printed(run("create", "--data-dir", data.toString(), "--account", "111122223333"));
    assertThat(created.keySet())
        .containsExactly(
            "account", "access-key", "secret-key", "api-key", "allow-input", "allow-output");
    assertThat(created.get("api-key")).matches("sk-quarry-[A-Za-z0-9_-]{43}");
    assertThat(created.get("api-key")).doesNotContain(created.get("secret-key"));
    assertThat(created.get("allow-input")).isEqualTo("(none: nothing allowed)");
    assertThat(created.get("account")).isEqualTo("111122223333");
    assertThat(created.get("access-key")).matches("AKIA[A-Z2-7]{16}");
    assertThat(created.get("secret-key")).matches("[A-Za-z0-9+/]{40}");
    Map<String, String> second =
        printed(run("create", "--data-dir", data.toString(), "--account", "111122223333"));
    assertThat(second.get("access-key")).isNotEqualTo(created.get("access-key"));
    assertThat(second.get("secret-key")).isNotEqualTo(created.get("secret-key"));
    assertThat(second.get("api-key")).isNotEqualTo(created.get("api-key"));
    assertThat(run("api-key", created.get("access-key"), "--data-dir", data.toString()))
        .as("the same API key whenever it is asked for: it is derived, not stored")
        .isEqualTo("api-key: " + created.get("api-key") + "\n");
    assertThat(Files.readString(KeyFile.in(data))).doesNotContain(created.get("api-key"));
    KeyStore keys = new KeyStore(List.of(KeyFile.in(data)));
    assertThat(keys.findByApiKey(created.get("api-key")))
        .map(AccessKey::accessKey)
        .contains(created.get("access-key"));
    assertThat(keys.findByApiKey(created.get("api-key") + "x")).isEmpty();
    assertThat(keys.findByApiKey(created.get("secret-key"))).isEmpty();
    assertThat(keys.findByApiKey(null)).isEmpty();
    assertThat(Files.getPosixFilePermissions(KeyFile.in(data)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    String listed = run("list", "--data-dir", data.toString());
    assertThat(listed)
        .contains(created.get("access-key") + " 111122223333", second.get("access-key"))
        .as("secrets are never listed")
        .doesNotContain(created.get("secret-key"))
        .doesNotContain(second.get("secret-key"));

    assertThat(run("revoke", created.get("access-key"), "--data-dir", data.toString()))
        .isEqualTo("revoked: " + created.get("access-key") + "\n");
    assertThat(KeyFile.read(KeyFile.in(data)))
        .extracting(AccessKey::accessKey)
        .containsExactly(second.get("access-key"));
    assertThatThrownBy(
            () -> run("revoke", created.get("access-key"), "--data-dir", data.toString()))
        .hasMessageContaining("No access key " + created.get("access-key"));
    assertThatThrownBy(() -> run("create", "--data-dir", data.toString(), "--account", "12345"))
        .hasMessageContaining("12 digits");
    assertThatThrownBy(() -> run("rotate")).hasMessageContaining("Usage");

    Map<String, String> team =
        printed(
            run(
                "create",
                "--data-dir",
                data.toString(),
                "--account",
                "111122223333",
                "--allow-input",
                "s3://in/team-a/",
                "--allow-input",
                "s3://shared",
                "--allow-output",
                "s3://out/team-a/"));
    assertThat(team.get("allow-input")).isEqualTo("s3://in/team-a/ s3://shared");
    AccessKey stored =
        KeyFile.read(KeyFile.in(data)).stream()
            .filter(k -> k.accessKey().equals(team.get("access-key")))
            .findFirst()
            .orElseThrow();
    assertThat(stored.allowInput()).containsExactly("s3://in/team-a/", "s3://shared");
    assertThat(stored.allowOutput()).containsExactly("s3://out/team-a/");
    assertThat(stored.dataAccess().input().allows("s3://in/team-a/x.jsonl")).isTrue();
    assertThat(stored.dataAccess().output().allows("s3://in/team-a/x")).isFalse();
    assertThatThrownBy(
            () -> run("create", "--data-dir", data.toString(), "--allow-input", "in/team-a/"))
        .hasMessageContaining("s3:// URI prefix");
  }

  @Test
  void theExampleKeyFileIsValid() throws Exception {
    List<AccessKey> keys = KeyFile.read(Path.of("..", "conf", "keys.example.json"));
    assertThat(keys).hasSize(2);
    assertThat(keys.get(1).allowInput())
        .containsExactly("s3://team-b-input/", "s3://shared-corpus/team-b/");
    assertThat(keys.get(0).dataAccess().output().allows("s3://any-bucket/x/")).isTrue();
  }

  @Test
  void aRunningControlPlaneFollowsCreatedAndRevokedKeys(@TempDir Path dir) throws Exception {
    Path extra = dir.resolve("secret/keys.json");
    try (ControlPlaneFixture quarry =
        new ControlPlaneFixture(
            dir.resolve("data"), Map.of("quarry.api.keys-file", extra.toString()))) {
      String dataDir = quarry.dataDir().toString();
      Map<String, String> created =
          printed(run("create", "--data-dir", dataDir, "--account", "123456789012"));
      try (BedrockClient newcomer =
          client(quarry, created.get("access-key"), created.get("secret-key"))) {
        long acceptedAfter = millisUntil(() -> code(newcomer) == null);
        assertThat(acceptedAfter)
            .as("a created key is accepted within 5 s")
            .isLessThan(FOLLOW_MILLIS);

        run("revoke", created.get("access-key"), "--data-dir", dataDir);
        long refusedAfter = millisUntil(() -> "UnrecognizedClientException".equals(code(newcomer)));
        assertThat(refusedAfter)
            .as("a revoked key is refused within 5 s")
            .isLessThan(FOLLOW_MILLIS);
      }
      assertThat(code(quarry.bedrock())).as("other keys keep working").isNull();

      // the extra file (a mounted Secret) did not exist at start; it counts once it does
      AccessKey mounted = new KeyGenerator().generate("123456789012");
      KeyFile.write(extra, List.of(mounted));
      try (BedrockClient fromSecret = client(quarry, mounted.accessKey(), mounted.secretKey())) {
        assertThat(millisUntil(() -> code(fromSecret) == null)).isLessThan(FOLLOW_MILLIS);
        Files.writeString(extra, "[]");
        assertThat(millisUntil(() -> "UnrecognizedClientException".equals(code(fromSecret))))
            .isLessThan(FOLLOW_MILLIS);
      }
    }
  }

  @Test
  void showS3PrintsTheStacksFirstKeyCreatingItOnFirstUse(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("fresh");
    Map<String, String> shown =
        printed(run("show-s3", "--data-dir", data.toString(), "--account", "111122223333"));
    assertThat(shown.keySet()).containsExactly("access-key", "secret-key");
    List<AccessKey> stored = KeyFile.read(KeyFile.in(data));
    assertThat(stored).hasSize(1);
    AccessKey created = stored.get(0);
    assertThat(shown)
        .containsEntry("access-key", created.accessKey())
        .containsEntry("secret-key", created.secretKey());
    assertThat(created.account()).isEqualTo("111122223333");
    assertThat(created.allowInput()).containsExactly("s3://");
    assertThat(created.allowOutput()).containsExactly("s3://");
    assertThat(Files.getPosixFilePermissions(KeyFile.in(data)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // shown again: the same pair, the one the stack on this directory uses (its first key), not a
    // new one
    run("create", "--data-dir", data.toString(), "--account", "111122223333");
    assertThat(printed(run("show-s3", "--data-dir", data.toString()))).isEqualTo(shown);
    assertThat(StackKey.of(data, "111122223333")).isEqualTo(created);
    assertThat(KeyFile.read(KeyFile.in(data))).hasSize(2);
    assertThatThrownBy(() -> run("show-s3", "extra", "--data-dir", data.toString()))
        .hasMessageContaining("Usage");
  }

  private static String run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(KeysCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, String> printed(String text) {
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(": ");
      lines.put(line.substring(0, colon), line.substring(colon + 2));
    }
    return lines;
  }

  // null when the call succeeds, else the AWS error code
  private static String code(BedrockClient bedrock) {
    try {
      bedrock.listModelInvocationJobs(b -> b.maxResults(1));
      return null;
    } catch (AwsServiceException e) {
      return e.awsErrorDetails().errorCode();
    }
  }

  private static long millisUntil(Supplier<Boolean> condition) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + 2 * FOLLOW_MILLIS * 1_000_000;
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static BedrockClient client(
      ControlPlaneFixture quarry, String accessKey, String secretKey) {
    return quarry.unretriedClient(accessKey, secretKey);
  }
}
