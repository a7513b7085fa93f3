package dev.quarry.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Drives {@code scripts/flink-cluster}: a real standalone Flink session cluster in other processes. */
final class FlinkClusterScript {
  private static final Path SCRIPT = Path.of("..", "scripts", "flink-cluster").toAbsolutePath().normalize();

  private final Path workDir;

  FlinkClusterScript(Path workDir) {
    this.workDir = workDir;
  }

  /** Starts the cluster and returns its REST address. */
  String start() throws Exception {
    String out = run("start");
    return out.lines().filter(l -> l.startsWith("flink-rest: ")).map(l -> l.substring("flink-rest: ".length()))
        .findFirst().orElseThrow(() -> new AssertionError("no flink-rest line in: " + out));
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

  private String run(String command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), command, "--work-dir", workDir.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/flink-cluster " + command + " did not finish in 180 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("scripts/flink-cluster " + command + " failed (" + p.exitValue() + "):\n" + out);
    }
    return out;
  }
}
