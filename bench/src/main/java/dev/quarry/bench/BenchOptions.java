package dev.quarry.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code scripts/bench} measures and where it writes: every knob of the benchmark in one typed
 * place.
 *
 * @param resultsDir folder for this run's JSON, PNG and logs (a timestamped folder under {@code
 *     results/})
 * @param pluginsDir folder holding the flink-s3-fs-hadoop plugin
 * @param ceilingRecords records of the ceiling scenario (1a and 1b), at least 20,000
 * @param requestsPerMinute the limit R of the rate-limit scenarios, enforced by the emulator
 * @param rateSeconds how long the rate-limit scenarios run at R (records = R / 60 × seconds)
 * @param smallJobRecords records of the small job
 * @param scaleRecords records of the scale scenario
 * @param scaleHeap {@code -Xmx} of the JVM that runs the scale scenario's whole stack
 * @param manyFiles the input file counts of the many-files scenario, one job each
 * @param recordsPerSmallFile records in each file of the many-files scenario
 * @param only the scenarios to run ({@code 1}…{@code 7}); all by default. Figures of scenarios left
 *     out are NaN.
 */
public record BenchOptions(
    Path resultsDir,
    Path pluginsDir,
    int ceilingRecords,
    int requestsPerMinute,
    int rateSeconds,
    int smallJobRecords,
    int scaleRecords,
    String scaleHeap,
    List<Integer> manyFiles,
    int recordsPerSmallFile,
    Set<String> only) {

  public BenchOptions {
    Objects.requireNonNull(resultsDir, "resultsDir");
    Objects.requireNonNull(pluginsDir, "pluginsDir");
    requirePositive("ceilingRecords", ceilingRecords);
    requirePositive("requestsPerMinute", requestsPerMinute);
    requirePositive("rateSeconds", rateSeconds);
    requirePositive("smallJobRecords", smallJobRecords);
    requirePositive("scaleRecords", scaleRecords);
    manyFiles = List.copyOf(manyFiles);
    manyFiles.forEach(n -> requirePositive("manyFiles", n));
    requirePositive("recordsPerSmallFile", recordsPerSmallFile);
    only = Set.copyOf(only);
  }

  /** Whether scenario {@code key} ({@code "1"} … {@code "6"}) runs. */
  public boolean runs(String key) {
    return only.contains(key);
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** Records of a rate-limit scenario: {@link #rateSeconds} worth at {@link #requestsPerMinute}. */
  public int rateRecords() {
    return (int) ((long) requestsPerMinute * rateSeconds / 60);
  }

  /** Parses {@code --name value} arguments over the defaults. */
  public static BenchOptions parse(String[] args) {
    Path results = Path.of("results");
    Path plugins = Path.of("control-plane", "target", "plugins");
    int ceiling = 100_000;
    int rpm = 1_200;
    int rateSeconds = 60;
    int small = 100;
    int scale = 1_000_000;
    String heap = "1g";
    List<Integer> manyFiles = List.of(2_000, 10_000);
    int recordsPerSmallFile = 5;
    Set<String> only = new java.util.HashSet<>(Set.of("1", "2", "3", "4", "5", "6", "7"));
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--skip-scale")) {
        only.remove("5");
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--results-dir" -> results = Path.of(value);
        case "--plugins-dir" -> plugins = Path.of(value);
        case "--ceiling-records" -> ceiling = Integer.parseInt(value);
        case "--requests-per-minute" -> rpm = Integer.parseInt(value);
        case "--rate-seconds" -> rateSeconds = Integer.parseInt(value);
        case "--small-job-records" -> small = Integer.parseInt(value);
        case "--scale-records" -> scale = Integer.parseInt(value);
        case "--scale-heap" -> heap = value;
        case "--many-files" ->
            manyFiles = Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
        case "--records-per-small-file" -> recordsPerSmallFile = Integer.parseInt(value);
        case "--only" -> only = new java.util.HashSet<>(Set.of(value.split(",")));
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    return new BenchOptions(
        results,
        plugins,
        ceiling,
        rpm,
        rateSeconds,
        small,
        scale,
        heap,
        manyFiles,
        recordsPerSmallFile,
        only);
  }
}
