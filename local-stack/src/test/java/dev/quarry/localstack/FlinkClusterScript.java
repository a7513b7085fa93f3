package dev.quarry.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@code scripts/flink-cluster}: a real standalone Flink session cluster in other processes.
 */
final class FlinkClusterScript {
  private static final Path SCRIPT =
      Path.of("..", "scripts", "flink-cluster").toAbsolutePath().normalize();

  private final Path workDir;

  FlinkClusterScript(Path workDir) {
    this.workDir = workDir;
  }

  /**
   * Starts the cluster with the S3 keys of {@code scripts/quarry serve} on {@code dataDir}; returns
   * its REST address.
   */
  String start(Path dataDir) throws Exception {
    String out = run("start", "--keys-from", dataDir.toString());
    return out.lines()
        .filter(l -> l.startsWith("flink-rest: "))
        .map(l -> l.substring("flink-rest: ".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no flink-rest line in: " + out));
  }

  void killTaskManager() throws Exception {
    run("kill-taskmanager");
  }

  void startTaskManager() throws Exception {
    run("start-taskmanager");
  }

  void stop() throws Exception {
    run("stop");
  }

  /** The cluster's own copy of its configuration. */
  Path config() {
    return workDir.resolve("conf").resolve("config.yaml");
  }

  /** The pid files of the running JobManager and TaskManagers. */
  List<Path> pidFiles() throws IOException {
    try (var files = java.nio.file.Files.list(workDir.resolve("run"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted().toList();
    }
  }

  private String run(String command, String... options) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(SCRIPT.toString(), command, "--work-dir", workDir.toString()));
    cmd.addAll(List.of(options));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
    // scripts/quarry keys runs on the reactor's build; it must never install into the shared ~/.m2
    // itself.
    builder.environment().put("QUARRY_NO_BUILD", "1");
    builder.environment().remove("AWS_ACCESS_KEY_ID");
    builder.environment().remove("AWS_SECRET_ACCESS_KEY");
    Process p = builder.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/flink-cluster " + command + " did not finish in 180 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(
          "scripts/flink-cluster " + command + " failed (" + p.exitValue() + "):\n" + out);
    }
    return out;
  }
}
