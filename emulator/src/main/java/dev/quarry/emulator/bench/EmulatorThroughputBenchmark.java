package dev.quarry.emulator.bench;

import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures how many zero-latency InvokeModel requests per second the emulator serves on loopback:
 * starts one in-process (or targets {@code --endpoint}), drives it with {@link NettyLoadClient} and
 * then with the real AWS SDK async client, and prints a table. Run through {@code
 * scripts/emulator-bench}.
 */
public final class EmulatorThroughputBenchmark {
  private EmulatorThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "quarry-emulator-log4j2.properties");
    }
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("emulator-bench: " + e.getMessage());
      Options.usage();
      System.exit(2);
      return;
    }
    if (o.help) {
      Options.usage();
      return;
    }
    List<byte[]> bodies = BenchmarkBodies.claudeBodies(o.distinctBodies);
    BedrockEmulator emulator = null;
    URI endpoint = o.endpoint;
    if (endpoint == null) {
      emulator =
          BedrockEmulator.builder()
              .config(EmulatorConfig.defaults())
              .ioThreads(o.serverThreads)
              .build()
              .start();
      endpoint = emulator.endpoint();
    }
    try {
      System.out.printf(
          Locale.ROOT,
          "Bedrock Runtime emulator throughput: %s, %d CPUs, zero latency, "
              + "warm-up %ds, measured %ds, %d distinct Claude bodies%n",
          emulator != null
              ? "in-process server ("
                  + o.serverThreads
                  + " "
                  + emulator.transport()
                  + " event loops)"
              : endpoint,
          Runtime.getRuntime().availableProcessors(),
          o.warmup.toSeconds(),
          o.measured.toSeconds(),
          o.distinctBodies);
      List<BenchmarkResult> rows = new ArrayList<>();
      rows.add(
          new NettyLoadClient(endpoint, o.clientThreads)
              .run(o.connections, o.depth, o.warmup, o.measured, bodies));
      if (emulator != null) {
        emulator.reset();
      }
      if (o.sdk) {
        rows.add(new SdkLoadClient(endpoint).run(o.sdkConnections, o.warmup, o.measured, bodies));
      }
      print(rows);
      double raw = rows.get(0).requestsPerSecond();
      if (o.minRate > 0) {
        boolean pass = raw >= o.minRate;
        System.out.printf(
            Locale.ROOT,
            "raw client: %.0f req/s, required %.0f: %s%n",
            raw,
            o.minRate,
            pass ? "PASS" : "FAIL");
        if (!pass) {
          System.exit(1);
        }
      }
    } finally {
      if (emulator != null) {
        emulator.close();
      }
    }
  }

  private static void print(List<BenchmarkResult> rows) {
    String header =
        String.format(
            Locale.ROOT,
            "%-28s %6s %6s %10s %8s %10s %8s %8s %7s %12s",
            "client",
            "conns",
            "depth",
            "requests",
            "seconds",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "cpu us/req");
    System.out.println(header);
    System.out.println("-".repeat(header.length()));
    for (BenchmarkResult r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-28s %6d %6d %10d %8.2f %10.1f %8.2f %8.2f %7d %12.1f%n",
          r.client(),
          r.connections(),
          r.depth(),
          r.requests(),
          r.seconds(),
          r.requestsPerSecond(),
          r.percentileMillis(0.50),
          r.percentileMillis(0.99),
          r.errors(),
          r.cpuMicrosPerRequest());
    }
    System.out.println(
        "cpu us/req = CPU time of the whole process (emulator and client) per request;"
            + " other processes on the machine lower req/s but not this.");
  }

  /** Command-line options. */
  private static final class Options {
    int connections = 32;
    int depth = 1;
    int sdkConnections = 32;
    boolean sdk = true;
    Duration warmup = Duration.ofSeconds(10);
    Duration measured = Duration.ofSeconds(10);
    int serverThreads = Runtime.getRuntime().availableProcessors();
    int clientThreads = 1;
    int distinctBodies = 1000;
    double minRate;
    URI endpoint;
    boolean help;

    static void usage() {
      System.out.println(
          "usage: emulator-bench [--connections N] [--pipeline D] [--warmup S] [--seconds S]\n"
              + "                      [--sdk-connections N] [--no-sdk] [--server-threads N]\n"
              + "                      [--client-threads N] [--bodies N] [--endpoint URL] [--min-rate R]\n"
              + "  --connections      raw client keep-alive connections (default 32)\n"
              + "  --pipeline         requests outstanding per raw connection (default 1)\n"
              + "  --warmup/--seconds warm-up and measured seconds per client (default 10 / 10)\n"
              + "  --sdk-connections  concurrent calls of the AWS SDK client (default 32)\n"
              + "  --no-sdk           skip the AWS SDK row\n"
              + "  --server-threads   emulator event loops (default: CPUs)\n"
              + "  --client-threads   raw client event loops (default 1)\n"
              + "  --bodies           distinct request bodies cycled through (default 1000)\n"
              + "  --endpoint         drive a running emulator instead of starting one\n"
              + "  --min-rate         exit 1 if the raw client's req/s is below this");
    }

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--connections" -> o.connections = positive(args, ++i, arg);
          case "--pipeline" -> o.depth = positive(args, ++i, arg);
          case "--sdk-connections" -> o.sdkConnections = positive(args, ++i, arg);
          case "--no-sdk" -> o.sdk = false;
          case "--warmup" -> o.warmup = Duration.ofSeconds(positiveOrZero(args, ++i, arg));
          case "--seconds" -> o.measured = Duration.ofSeconds(positive(args, ++i, arg));
          case "--server-threads" -> o.serverThreads = positive(args, ++i, arg);
          case "--client-threads" -> o.clientThreads = positive(args, ++i, arg);
          case "--bodies" -> o.distinctBodies = positive(args, ++i, arg);
          case "--endpoint" -> o.endpoint = URI.create(value(args, ++i, arg));
          case "--min-rate" -> o.minRate = Double.parseDouble(value(args, ++i, arg));
          case "-h", "--help" -> o.help = true;
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      return o;
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }

    private static int positive(String[] args, int i, String name) {
      int v = positiveOrZero(args, i, name);
      if (v == 0) {
        throw new IllegalArgumentException(name + " must be > 0");
      }
      return v;
    }

    private static int positiveOrZero(String[] args, int i, String name) {
      try {
        int v = Integer.parseInt(value(args, i, name));
        if (v < 0) {
          throw new IllegalArgumentException(name + " must be >= 0");
        }
        return v;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a whole number");
      }
    }
  }
}
