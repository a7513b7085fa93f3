package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static ScenarioResult result(String key, double rate, Map<String, Object> details) {
    return new ScenarioResult(
        key, "scenario " + key, 100, 1.5, rate, details, new Timeline(), Double.NaN);
  }

  private static BenchReport report(boolean scaleCompleted, double scaleRate) {
    return new BenchReport(
        "2026-12-01T00:00:00Z",
        Map.of("cores", 2, "cpu", "test", "memory_gib", 1.0, "java", "17"),
        List.of(
            result("1a", 1_000, Map.of("cpu_ms_per_1000", 150.0)),
            result("1b", 850, Map.of("cpu_ms_per_1000", 200.0, "cpu_ratio", 0.75)),
            result("2", 19.5, Map.of("ratio", 0.975, "throttled_share", 0.004)),
            result("3", 17.5, Map.of("ratio", 0.875, "throttled_share", 0.3)),
            result("4", 66, Map.of()),
            result(
                "5",
                scaleRate,
                Map.of("completed", scaleCompleted, "peak_rss_bytes", 1_000_000_000L)),
            result("6a", 1_000, Map.of("files", 2_000, "ms_per_file", 4.0)),
            result("6b", 1_000, Map.of("files", 10_000, "ms_per_file", 4.5)),
            result("7a", 19, Map.of("ratio", 0.95, "throttled_share", 0.002, "fairness", 0.97)),
            result("7b", 18.4, Map.of("ratio", 0.92, "throttled_share", 0.03, "fairness", 0.93)),
            result("7c", 19, Map.of("high_low_ratio", 4.3)),
            result("7d", 16, Map.of("interactive_throttled_share", 0.0))));
  }

  @Test
  void theBenchLineCarriesEveryFigureInItsFormat() {
    assertThat(report(true, 800).benchLine())
        .isEqualTo(
            "BENCH ceiling_ratio=0.850 cpu_ratio=0.750 rate_ratio=0.975 adaptive_ratio=0.875 adaptive_429_share=0.3000"
                + " shared_ratio=0.950 shared_429_share=0.0020 fairness=0.930 small_job_s=1.50 scale_ok=true"
                + " many_files_ms=4.50");
  }

  @Test
  void theCpuRatioIsTheJobsPairedFigureAndMissesBelowItsTarget() {
    assertThat(report(true, 800).figures())
        .filteredOn(f -> f.name().equals("cpu_ratio"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.value()).as("the median of the rounds' ratios").isEqualTo(0.75);
              assertThat(f.met()).isFalse();
            });
  }

  @Test
  void sharedQuotaFiguresAreMetOnlyWithinTheirTargets() {
    BenchReport report = report(true, 800);
    assertThat(report.figures())
        .filteredOn(f -> f.name().equals("adaptive_429_share"))
        .singleElement()
        .satisfies(f -> assertThat(f.met()).as("30 %% of calls throttled").isFalse());
    assertThat(report.figures())
        .filteredOn(f -> f.name().equals("high : low"))
        .singleElement()
        .satisfies(f -> assertThat(f.met()).isTrue());
    assertThat(report.figures())
        .filteredOn(f -> f.name().equals("fairness"))
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isEqualTo(0.93));
    assertThat(report.table()).contains("fairness 0.970").contains("4.30 : 1");
  }

  @Test
  void scaleIsOkOnlyWhenItCompletedNearTheCeilingJobsRate() {
    assertThat(report(true, 680).scaleOk()).as("0.8 of 1b").isTrue();
    assertThat(report(true, 600).scaleOk()).as("slower than 0.8 of 1b").isFalse();
    assertThat(report(false, 800).scaleOk()).as("did not complete").isFalse();
  }

  @Test
  void manyFilesFiguresAreTheWorstRunPerFileAndTheTwoThousandFileRun() {
    BenchReport slow =
        new BenchReport(
            "t",
            Map.of(),
            List.of(
                result("6a", 100, Map.of("files", 2_000, "ms_per_file", 4.0)),
                result("6b", 100, Map.of("files", 10_000, "ms_per_file", 6.0))));
    assertThat(slow.manyFilesMsPerFile()).isEqualTo(6.0);
    assertThat(slow.manyFilesReferenceSeconds()).isEqualTo(1.5);
    assertThat(slow.figures())
        .filteredOn(f -> f.name().equals("many_files_ms"))
        .singleElement()
        .satisfies(f -> assertThat(f.met()).isFalse());
    assertThat(slow.figures())
        .filteredOn(f -> f.name().equals("many_files_2000_s"))
        .singleElement()
        .satisfies(f -> assertThat(f.met()).isTrue());
    assertThat(slow.table()).contains("6.00 ms/file");
  }

  @Test
  void missingScenariosAreNotMet() {
    BenchReport partial = new BenchReport("t", Map.of(), List.of(result("4", 66, Map.of())));
    assertThat(partial.benchLine())
        .isEqualTo(
            "BENCH ceiling_ratio=nan cpu_ratio=nan rate_ratio=nan adaptive_ratio=nan adaptive_429_share=nan shared_ratio=nan"
                + " shared_429_share=nan fairness=nan small_job_s=1.50 scale_ok=false many_files_ms=nan");
    assertThat(partial.figures())
        .filteredOn(f -> f.name().equals("small_job_s"))
        .singleElement()
        .satisfies(f -> assertThat(f.met()).isTrue());
    assertThat(partial.table()).contains("ceiling_ratio").contains("NO");
  }
}
