package dev.quarry.localstack;

import java.nio.file.Path;

/**
 * The command line of {@code scripts/quarry serve}.
 *
 * @param port the control plane's port; S3 listens on port + 1 and the emulator on port + 2
 * @param dataDir where the stack keeps its jobs, objects and checkpoints
 * @param configFile the properties file (settings there and in QUARRY_* variables still apply)
 * @param flinkRest a remote session cluster's REST address to run jobs on, or {@code null} for
 *     embedded Flink
 */
public record ServeOptions(int port, Path dataDir, Path configFile, String flinkRest) {

  public static final int DEFAULT_PORT = 8090;

  /** Parses {@code [--port N] [--data-dir DIR] [--config FILE] [--flink-rest URL]}. */
  public static ServeOptions parse(String[] args) {
    int port = DEFAULT_PORT;
    Path dataDir = Path.of(".quarry");
    Path config = Path.of("conf", "quarry.properties");
    String flinkRest = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value after " + arg + "\n" + usage());
      }
      switch (arg) {
        case "--port" -> port = parsePort(args[++i]);
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--config" -> config = Path.of(args[++i]);
        case "--flink-rest" -> flinkRest = args[++i];
        default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + usage());
      }
    }
    return new ServeOptions(port, dataDir, config, flinkRest);
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 1 || port > 65533) {
        throw new IllegalArgumentException(
            "--port must be 1..65533 (S3 and the emulator take the next two), was " + value);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number, was " + value);
    }
  }

  static String usage() {
    return "Usage: scripts/quarry serve [--port N] [--data-dir DIR] [--config FILE] [--flink-rest URL]";
  }
}
