package dev.quarry.bench;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.config.RateLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code scripts/bench}: runs the seven scenarios, prints the table, writes {@code results.json}
 * and {@code throughput.png} into a timestamped folder under {@code results/}, and ends with the
 * {@code BENCH} line.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args);
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Path dir =
        options
            .resultsDir()
            .resolve(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .withZone(ZoneOffset.UTC)
                    .format(started));
    Files.createDirectories(dir);
    System.out.println("results: " + dir.toAbsolutePath());

    List<ScenarioResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Map<String, String> settings =
        new java.util.HashMap<>(SharedQuotaScenario.settings(options.requestsPerMinute()));
    settings.put(
        "quarry.model." + RateLimitScenario.TOLD_MODEL + ".requests-per-minute",
        Integer.toString(options.requestsPerMinute()));
    settings.put(
        "quarry.model." + ManyFilesScenario.MODEL + ".requests-per-minute",
        Long.toString(ManyFilesScenario.MODEL_REQUESTS_PER_MINUTE));
    // Scenario 7 runs four jobs on one model at once: four to run, and two slots each (parallelism
    // 2).
    settings.put("quarry.jobs.max-running", "4");
    settings.put("quarry.flink.slots-per-task-manager", "8");
    try (BenchStack stack =
        BenchStack.start(
            dir.resolve("stack"), options.pluginsDir(), emulatorConfig(options), settings)) {
      stack.createBucket("bench-in");
      stack.createBucket("bench-out");
      // The small job first: its first run shows a job on a freshly started Quarry.
      if (options.runs("4")) {
        step(
            "4 small job",
            failures,
            () -> results.add(new SmallJobScenario(options.smallJobRecords()).run(stack)));
      }
      if (options.runs("1")) {
        step(
            "1 ceiling",
            failures,
            () -> results.addAll(new CeilingScenario(options.ceilingRecords()).run(stack)));
      }
      if (options.runs("6")) {
        step(
            "6 many files",
            failures,
            () ->
                results.addAll(
                    new ManyFilesScenario(options.manyFiles(), options.recordsPerSmallFile())
                        .run(stack)));
      }
      if (options.runs("2") || options.runs("3")) {
        step(
            "2+3 rate limits",
            failures,
            () -> {
              // Both run at once: different models, each with its own limit at the emulator, a few
              // calls a second.
              CompletableFuture<ScenarioResult> told =
                  options.runs("2")
                      ? CompletableFuture.supplyAsync(() -> runRate(stack, true, options))
                      : null;
              CompletableFuture<ScenarioResult> adaptive =
                  options.runs("3")
                      ? CompletableFuture.supplyAsync(() -> runRate(stack, false, options))
                      : null;
              if (told != null) {
                results.add(told.join());
              }
              if (adaptive != null) {
                results.add(adaptive.join());
              }
            });
      }
      if (options.runs("7")) {
        step(
            "7 shared quota",
            failures,
            () ->
                results.addAll(
                    new SharedQuotaScenario(options.requestsPerMinute(), options.rateSeconds())
                        .run(stack)));
      }
    }
    if (options.runs("5")) {
      step(
          "5 scale",
          failures,
          () -> results.add(new ScaleScenario(options).run(dir.resolve("scale"))));
    }

    BenchReport report = new BenchReport(started.toString(), MachineInfo.describe(), results);
    String table = report.table();
    System.out.println();
    System.out.print(table);
    Files.writeString(dir.resolve("table.txt"), table);
    ResultsJson.JSON
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("results.json").toFile(), report.toJson());
    ThroughputChart.write(
        results,
        "Quarry benchmark " + started + ", " + MachineInfo.summary(MachineInfo.describe()),
        dir.resolve("throughput.png"));
    System.out.println();
    System.out.println("raw figures: " + dir.resolve("results.json").toAbsolutePath());
    System.out.println("plot: " + dir.resolve("throughput.png").toAbsolutePath());
    failures.forEach(f -> System.out.println("FAILED " + f));
    System.out.println(report.benchLine());
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /**
   * The emulator: answers at once by default; the rate-limit models answer in 200-800 ms within R
   * per minute.
   */
  static EmulatorConfig emulatorConfig(BenchOptions options) {
    ModelBehavior limited =
        ModelBehavior.builder()
            .latency(
                LatencyProfile.builder()
                    .logNormal(Duration.ofMillis(400), Duration.ofMillis(800))
                    .min(Duration.ofMillis(200))
                    .max(Duration.ofMillis(800))
                    .build())
            .limits(RateLimits.builder().requestsPerMinute(options.requestsPerMinute()).build())
            .build();
    return EmulatorConfig.builder()
        .countBodies(false)
        .model(RateLimitScenario.TOLD_MODEL, limited)
        .model(RateLimitScenario.ADAPTIVE_MODEL, limited)
        .model(SharedQuotaScenario.TOLD_MODEL, limited)
        .model(SharedQuotaScenario.ADAPTIVE_MODEL, limited)
        .model(SharedQuotaScenario.INTERACTIVE_MODEL, limited)
        .build();
  }

  private static ScenarioResult runRate(BenchStack stack, boolean told, BenchOptions options) {
    try {
      return new RateLimitScenario(told, options.requestsPerMinute(), options.rateRecords())
          .run(stack);
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** A scenario body that may fail. */
  private interface Step {
    void run() throws Exception;
  }

  /** Runs one scenario; a failure is reported and the others still run. */
  private static void step(String name, List<String> failures, Step step) {
    long t0 = System.nanoTime();
    System.out.println("running " + name + "...");
    try {
      step.run();
      System.out.printf("  %s done in %.0f s%n", name, (System.nanoTime() - t0) / 1e9);
    } catch (Exception | Error e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      System.out.println("  " + name + " failed: " + cause);
      cause.printStackTrace(System.err);
      failures.add(name + ": " + cause.getMessage());
    }
  }
}
