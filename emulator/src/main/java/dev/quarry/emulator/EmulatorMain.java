package dev.quarry.emulator;

import dev.quarry.emulator.config.EmulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code emulator [--host H] [--port N] [--config FILE]}. Prints {@code emulator:
 * http://host:port} on stdout once serving, and stops cleanly on Ctrl-C or SIGTERM.
 */
public final class EmulatorMain {
  /**
   * The logging config inside the runnable jar; not named log4j2.xml so it never overrides an
   * embedder's.
   */
  static final String LOG_CONFIG = "quarry-emulator-log4j2.properties";

  private EmulatorMain() {}

  public static void main(String[] args) throws Exception {
    // Must happen before the first logger is created, i.e. before anything else of the emulator is
    // touched.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", LOG_CONFIG);
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("emulator: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    if (options.help) {
      usage(System.out);
      return;
    }
    EmulatorConfig config = EmulatorConfig.defaults();
    if (options.configFile != null) {
      try {
        config = EmulatorConfig.load(options.configFile);
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("emulator: cannot load config: " + e.getMessage());
        System.exit(2);
        return;
      }
    }
    BedrockEmulator emulator =
        BedrockEmulator.builder().host(options.host).port(options.port).config(config).build();
    try {
      emulator.start();
    } catch (UncheckedIOException e) {
      System.err.println("emulator: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                },
                "quarry-emulator-shutdown"));
    System.out.println("emulator: " + emulator.endpoint());
    System.out.flush();
    stopped.await();
  }

  private static void usage(PrintStream out) {
    out.println("usage: emulator [--host HOST] [--port PORT] [--config FILE]");
    out.println("  --host    address to listen on (default 127.0.0.1)");
    out.println("  --port    port to listen on, 0 = any free port (default 8089)");
    out.println("  --config  JSON config file (format: conf/emulator.json, emulator/README.md)");
  }

  /** Parsed command-line options. */
  static final class Options {
    static final int DEFAULT_PORT = 8089;

    String host = "127.0.0.1";
    int port = DEFAULT_PORT;
    Path configFile;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        switch (arg) {
          case "--host":
            o.host = value != null ? value : next(args, ++i, arg);
            break;
          case "--port":
            String port = value != null ? value : next(args, ++i, arg);
            try {
              o.port = Integer.parseInt(port);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--port needs a number, got " + port);
            }
            if (o.port < 0 || o.port > 65535) {
              throw new IllegalArgumentException("--port out of range: " + port);
            }
            break;
          case "--config":
            o.configFile = Path.of(value != null ? value : next(args, ++i, arg));
            if (!Files.isReadable(o.configFile)) {
              throw new IllegalArgumentException("cannot read config file " + o.configFile);
            }
            break;
          case "-h":
          case "--help":
            o.help = true;
            break;
          default:
            throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      return o;
    }

    private static String next(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }
  }
}
