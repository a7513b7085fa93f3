package dev.quarry.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one benchmark run against their targets: the printed table, the JSON and the BENCH
 * line.
 */
final class BenchReport {
  static final double CEILING_TARGET = 0.8;
  static final double CPU_TARGET = 0.8;
  static final double RATE_TARGET = 0.95;
  static final double THROTTLED_TARGET = 0.01;
  static final double ADAPTIVE_TARGET = 0.9;
  static final double ADAPTIVE_THROTTLED_TARGET = 0.05;
  static final double SHARED_RATIO_TARGET = 0.9;
  static final double FAIRNESS_TARGET = 0.9;
  static final double PRIORITY_TARGET = 4.0;
  static final double PRIORITY_TOLERANCE = 0.8;
  static final double SMALL_JOB_TARGET_S = 5.0;
  static final double SCALE_RATE_TARGET = 0.8;
  static final double MANY_FILES_MS_TARGET = 5.0;
  static final int MANY_FILES_REFERENCE = 2_000;
  static final double MANY_FILES_REFERENCE_S_TARGET = 15.0;

  /** One figure against its target. */
  record Figure(String name, double value, String shown, String target, boolean met) {}

  private final String startedAt;
  private final Map<String, Object> machine;
  private final List<ScenarioResult> results;

  BenchReport(String startedAt, Map<String, Object> machine, List<ScenarioResult> results) {
    this.startedAt = startedAt;
    this.machine = machine;
    this.results = List.copyOf(results);
  }

  Optional<ScenarioResult> result(String key) {
    return results.stream().filter(r -> r.key().equals(key)).findFirst();
  }

  List<ScenarioResult> results() {
    return results;
  }

  double ceilingRatio() {
    return rate("1b") / rate("1a");
  }

  /**
   * Records per CPU-second of the job over the plain loop's (the loop's CPU per record over the
   * job's), both while their rates were sustained: the median over rounds of a job and the loop run
   * back to back.
   */
  double cpuRatio() {
    return number("1b", "cpu_ratio");
  }

  double rateRatio() {
    return result("2").map(r -> r.number("ratio")).orElse(Double.NaN);
  }

  double throttledShare() {
    return result("2").map(r -> r.number("throttled_share")).orElse(Double.NaN);
  }

  double adaptiveRatio() {
    return result("3").map(r -> r.number("ratio")).orElse(Double.NaN);
  }

  double adaptiveThrottledShare() {
    return number("3", "throttled_share");
  }

  /** Two equal told jobs together, over the limit. */
  double sharedRatio() {
    return number("7a", "ratio");
  }

  double sharedThrottledShare() {
    return number("7a", "throttled_share");
  }

  double sharedAdaptiveRatio() {
    return number("7b", "ratio");
  }

  double sharedAdaptiveThrottledShare() {
    return number("7b", "throttled_share");
  }

  /** The slower over the faster of equal jobs, the worse of the told and the adaptive runs. */
  double fairness() {
    return Math.min(number("7a", "fairness"), number("7b", "fairness"));
  }

  double priorityRatio() {
    return number("7c", "high_low_ratio");
  }

  double interactiveThrottledShare() {
    return number("7d", "interactive_throttled_share");
  }

  private double number(String key, String name) {
    return result(key).map(r -> r.number(name)).orElse(Double.NaN);
  }

  double smallJobSeconds() {
    return result("4").map(ScenarioResult::seconds).orElse(Double.NaN);
  }

  /** Scale rate relative to the ceiling job. */
  double scaleRateRatio() {
    return rate("5") / rate("1b");
  }

  /**
   * It completed with every record, kept within 20 % of the ceiling job's rate, and its memory was
   * measured.
   */
  boolean scaleOk() {
    return result("5")
        .map(
            r ->
                Boolean.TRUE.equals(r.details().get("completed"))
                    && scaleRateRatio() >= SCALE_RATE_TARGET
                    && r.number("peak_rss_bytes") > 0)
        .orElse(false);
  }

  /** The worst Create-to-Completed time per input file across the many-files runs (scenario 6). */
  double manyFilesMsPerFile() {
    return results.stream()
        .filter(r -> r.key().startsWith("6"))
        .mapToDouble(r -> r.number("ms_per_file"))
        .max()
        .orElse(Double.NaN);
  }

  /** Create to Completed of the 2,000-file run. */
  double manyFilesReferenceSeconds() {
    return results.stream()
        .filter(r -> r.key().startsWith("6") && r.number("files") == MANY_FILES_REFERENCE)
        .mapToDouble(ScenarioResult::seconds)
        .findFirst()
        .orElse(Double.NaN);
  }

  private double rate(String key) {
    return result(key).map(ScenarioResult::rate).orElse(Double.NaN);
  }

  List<Figure> figures() {
    List<Figure> f = new ArrayList<>();
    f.add(
        new Figure(
            "ceiling_ratio",
            ceilingRatio(),
            fixed(ceilingRatio(), 2),
            ">= 0.80",
            ceilingRatio() >= CEILING_TARGET));
    f.add(
        new Figure(
            "cpu_ratio", cpuRatio(), fixed(cpuRatio(), 2), ">= 0.80", cpuRatio() >= CPU_TARGET));
    f.add(
        new Figure(
            "rate_ratio",
            rateRatio(),
            fixed(rateRatio(), 3),
            ">= 0.95",
            rateRatio() >= RATE_TARGET));
    f.add(
        new Figure(
            "throttled_share (2)",
            throttledShare(),
            percent(throttledShare()),
            "<= 1 %",
            throttledShare() <= THROTTLED_TARGET));
    f.add(
        new Figure(
            "adaptive_ratio",
            adaptiveRatio(),
            fixed(adaptiveRatio(), 3),
            ">= 0.90",
            adaptiveRatio() >= ADAPTIVE_TARGET));
    f.add(
        new Figure(
            "adaptive_429_share",
            adaptiveThrottledShare(),
            percent(adaptiveThrottledShare()),
            "<= 5 %",
            adaptiveThrottledShare() <= ADAPTIVE_THROTTLED_TARGET));
    f.add(
        new Figure(
            "shared_ratio (2)",
            sharedRatio(),
            fixed(sharedRatio(), 3),
            ">= 0.90",
            sharedRatio() >= SHARED_RATIO_TARGET));
    f.add(
        new Figure(
            "shared_429_share (2)",
            sharedThrottledShare(),
            percent(sharedThrottledShare()),
            "<= 1 %",
            sharedThrottledShare() <= THROTTLED_TARGET));
    f.add(
        new Figure(
            "shared_ratio (4, ad.)",
            sharedAdaptiveRatio(),
            fixed(sharedAdaptiveRatio(), 3),
            ">= 0.90",
            sharedAdaptiveRatio() >= SHARED_RATIO_TARGET));
    f.add(
        new Figure(
            "shared_429 (4, ad.)",
            sharedAdaptiveThrottledShare(),
            percent(sharedAdaptiveThrottledShare()),
            "<= 5 %",
            sharedAdaptiveThrottledShare() <= ADAPTIVE_THROTTLED_TARGET));
    f.add(
        new Figure(
            "fairness",
            fairness(),
            fixed(fairness(), 3),
            ">= 0.90 (within 10 %)",
            fairness() >= FAIRNESS_TARGET));
    f.add(
        new Figure(
            "high : low",
            priorityRatio(),
            fixed(priorityRatio(), 2),
            "4 +- 0.8",
            Math.abs(priorityRatio() - PRIORITY_TARGET) <= PRIORITY_TOLERANCE));
    f.add(
        new Figure(
            "interactive_429",
            interactiveThrottledShare(),
            percent(interactiveThrottledShare()),
            "<= 1 % (max-share 0.8)",
            interactiveThrottledShare() <= THROTTLED_TARGET));
    f.add(
        new Figure(
            "small_job_s",
            smallJobSeconds(),
            fixed(smallJobSeconds(), 2),
            "<= 5",
            smallJobSeconds() <= SMALL_JOB_TARGET_S));
    f.add(
        new Figure(
            "many_files_ms",
            manyFilesMsPerFile(),
            fixed(manyFilesMsPerFile(), 2),
            "<= 5 per file",
            manyFilesMsPerFile() <= MANY_FILES_MS_TARGET));
    f.add(
        new Figure(
            "many_files_2000_s",
            manyFilesReferenceSeconds(),
            fixed(manyFilesReferenceSeconds(), 1),
            "<= 15",
            manyFilesReferenceSeconds() <= MANY_FILES_REFERENCE_S_TARGET));
    f.add(
        new Figure(
            "scale rate / 1b",
            scaleRateRatio(),
            fixed(scaleRateRatio(), 2),
            ">= 0.80",
            scaleRateRatio() >= SCALE_RATE_TARGET));
    f.add(
        new Figure(
            "scale_ok",
            scaleOk() ? 1 : 0,
            Boolean.toString(scaleOk()),
            "completes, rate, RSS",
            scaleOk()));
    return f;
  }

  /** The machine-readable last line. */
  String benchLine() {
    return "BENCH ceiling_ratio="
        + fixed(ceilingRatio(), 3)
        + " cpu_ratio="
        + fixed(cpuRatio(), 3)
        + " rate_ratio="
        + fixed(rateRatio(), 3)
        + " adaptive_ratio="
        + fixed(adaptiveRatio(), 3)
        + " adaptive_429_share="
        + fixed(adaptiveThrottledShare(), 4)
        + " shared_ratio="
        + fixed(sharedRatio(), 3)
        + " shared_429_share="
        + fixed(sharedThrottledShare(), 4)
        + " fairness="
        + fixed(fairness(), 3)
        + " small_job_s="
        + fixed(smallJobSeconds(), 2)
        + " scale_ok="
        + scaleOk()
        + " many_files_ms="
        + fixed(manyFilesMsPerFile(), 2);
  }

  /** The human-readable table: scenarios, then figures against targets. */
  String table() {
    StringBuilder out = new StringBuilder();
    out.append("Quarry benchmark, ")
        .append(startedAt)
        .append(", ")
        .append(MachineInfo.summary(machine))
        .append("\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%-3s %-58s %10s %9s %11s  %s%n",
            "#",
            "scenario",
            "records",
            "time s",
            "records/s",
            "notes"));
    for (ScenarioResult r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-3s %-58s %,10d %9.1f %11s  %s%n",
              r.key(),
              r.title(),
              r.records(),
              r.seconds(),
              Double.isNaN(r.rate()) ? "-" : String.format(Locale.ROOT, "%,.1f", r.rate()),
              notes(r)));
    }
    out.append('\n');
    out.append(
        String.format(Locale.ROOT, "%-20s %8s   %-22s %s%n", "figure", "value", "target", "met"));
    for (Figure f : figures()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-20s %8s   %-22s %s%n",
              f.name(),
              f.shown(),
              f.target(),
              f.met() ? "yes" : "NO"));
    }
    return out.toString();
  }

  private static String notes(ScenarioResult r) {
    return switch (r.key()) {
      case "1a" ->
          r.details().get("clients")
              + " SDK clients, "
              + r.details().get("concurrency")
              + " calls in flight; median of "
              + r.details().get("all_rates")
              + "; rate = 10-90 % slope; "
              + cpu(r);
      case "1b", "1c" ->
          String.format(
              Locale.ROOT,
              "median of %s%s; Create to Completed %,.0f/s; %s",
              r.details().get("all_rates"),
              r.key().equals("1b")
                  ? String.format(
                      Locale.ROOT,
                      ": validate %.1f, queue %.1f, running %.1f, finalize %.1f s",
                      r.number("validate_s"),
                      r.number("queue_s"),
                      r.number("running_s"),
                      r.number("finalize_s"))
                  : "",
              r.number("end_to_end_records_per_s"),
              cpu(r));
      case "7a", "7b" ->
          String.format(
              Locale.ROOT,
              "sum %.3f of the limit; fairness %.3f; %,d calls, %,d answered 429 (%s)",
              r.number("ratio"),
              r.number("fairness"),
              (long) r.number("calls"),
              (long) r.number("throttled_calls"),
              percent(r.number("throttled_share")));
      case "7c" ->
          String.format(
              Locale.ROOT,
              "high %.2f/s, low %.2f/s while both run: %.2f : 1; %,d answered 429",
              r.number("high_rate"),
              r.number("low_rate"),
              r.number("high_low_ratio"),
              (long) r.number("throttled_calls"));
      case "7d" ->
          String.format(
              Locale.ROOT,
              "batch %.3f of the limit; interactive %,d calls, %,d answered 429 (%s)",
              r.number("batch_ratio"),
              (long) r.number("interactive_calls"),
              (long) r.number("interactive_throttled"),
              percent(r.number("interactive_throttled_share")));
      case "2", "3" ->
          String.format(
              Locale.ROOT,
              "limit %.1f/s; %,d calls, %,d answered 429 (%s)",
              r.number("limit_per_s"),
              (long) r.number("calls"),
              (long) r.number("throttled_calls"),
              percent(r.number("throttled_share")));
      case "4" ->
          String.format(
              Locale.ROOT,
              "validate %.2f, queue %.2f, Flink start %.2f, run %.2f, finalize %.2f s (median of %s s);"
                  + " first job after start %.1f s (validate %.1f, Flink start %.1f, finalize %.1f)",
              r.number("validate_s"),
              r.number("queue_s"),
              r.number("flink_start_s"),
              r.number("run_s"),
              r.number("finalize_s"),
              rounded(r.details().get("warm_runs_s")),
              r.number("first_job_after_start_s"),
              r.number("first_job_validate_s"),
              r.number("first_job_flink_start_s"),
              r.number("first_job_finalize_s"));
      case "5" ->
          String.format(
              Locale.ROOT,
              "%s; peak RSS %.0f MiB (heap max %.0f MiB); upload %.0f s",
              r.details().get("status"),
              r.number("peak_rss_bytes") / 1048576,
              r.number("heap_max_bytes") / 1048576,
              r.number("upload_s"));
      default ->
          r.key().startsWith("6")
              ? String.format(
                  Locale.ROOT,
                  "%.2f ms/file (CPU %.2f ms/file): validate %.1f, queue %.1f, Flink start %.1f, run %.1f, finalize %.1f s"
                      + " (CPU %.1f, -, %.1f, %.1f, %.1f s); upload %.0f s",
                  r.number("ms_per_file"),
                  r.number("cpu_ms_per_file"),
                  r.number("validate_s"),
                  r.number("queue_s"),
                  r.number("flink_start_s"),
                  r.number("run_s"),
                  r.number("finalize_s"),
                  r.number("validate_cpu_s"),
                  r.number("flink_start_cpu_s"),
                  r.number("run_cpu_s"),
                  r.number("finalize_cpu_s"),
                  r.number("upload_s"))
              : "";
    };
  }

  /** A ceiling side's CPU per 1,000 records: sustained (median of its runs), then whole run. */
  private static String cpu(ScenarioResult r) {
    return String.format(
        Locale.ROOT,
        "CPU %.0f ms/1000 records (median of %s; whole run %.0f)",
        r.number("cpu_ms_per_1000"),
        r.details().get("all_cpu_ms_per_1000"),
        r.number("run_cpu_ms_per_1000"));
  }

  ObjectNode toJson() {
    ObjectNode root = ResultsJson.JSON.createObjectNode();
    root.put("started_at", startedAt);
    root.set("machine", ResultsJson.JSON.valueToTree(machine));
    ObjectNode figures = root.putObject("figures");
    for (Figure f : figures()) {
      ObjectNode fig = figures.putObject(f.name());
      if (Double.isNaN(f.value())) {
        fig.putNull("value");
      } else {
        fig.put("value", f.value());
      }
      fig.put("target", f.target());
      fig.put("met", f.met());
    }
    root.put("bench_line", benchLine());
    ArrayNode scenarios = root.putArray("scenarios");
    results.forEach(r -> scenarios.add(ResultsJson.toJson(r)));
    return root;
  }

  private static String rounded(Object seconds) {
    if (!(seconds instanceof List<?> list)) {
      return String.valueOf(seconds);
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      out.add(
          o instanceof Number n
              ? String.format(Locale.ROOT, "%.2f", n.doubleValue())
              : String.valueOf(o));
    }
    return String.join("/", out);
  }

  private static String fixed(double v, int decimals) {
    return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.2f %%", share * 100);
  }
}
