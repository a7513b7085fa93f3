package dev.quarry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 5: starts {@link ScaleRun} in a child JVM whose heap ({@code -Xmx}) is the only memory
 * the whole stack gets, waits for it and reads its result back.
 */
final class ScaleScenario {
  private final BenchOptions options;

  ScaleScenario(BenchOptions options) {
    this.options = options;
  }

  ScenarioResult run(Path workDir) throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path log = workDir.resolve("scale-run.out");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + options.scaleHeap());
    // The module flags Flink needs, and the log settings, exactly as this JVM got them.
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Dlog4j2.") || arg.startsWith("-Djava.awt")) {
        command.add(arg);
      }
    }
    command.add("-Dquarry.log.dir=" + workDir.resolve("logs").toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ScaleRun.class.getName());
    command.add(Long.toString(options.scaleRecords()));
    command.add(workDir.resolve("stack").toAbsolutePath().toString());
    command.add(options.pluginsDir().toAbsolutePath().toString());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(40, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the scale run did not end within 40 minutes; see " + log);
    }
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith(ScaleRun.RESULT_PREFIX)) {
        return ResultsJson.fromJson(
            ResultsJson.JSON.readTree(line.substring(ScaleRun.RESULT_PREFIX.length())));
      }
    }
    throw new IllegalStateException(
        "the scale run (exit " + process.exitValue() + ") printed no result; see " + log);
  }
}
