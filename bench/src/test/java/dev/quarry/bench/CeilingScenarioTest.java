package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class CeilingScenarioTest {
  /** 1,000 records at 100 a second, spending {@code cpuPerSecond} CPU-seconds a second. */
  private static Timeline run(double cpuPerSecond) {
    Timeline t = new Timeline();
    for (int i = 0; i <= 100; i++) {
      double s = i / 10.0;
      t.add(s, Math.round(s * 100), s * cpuPerSecond);
    }
    return t;
  }

  @Test
  void theCpuRatioPairsEachRoundsLoopWithItsJob() {
    // A host that is half as fast in the second round: both sides of it pay twice the CPU.
    List<Double> ratios =
        CeilingScenario.cpuRatiosByRound(
            List.of(run(0.8), run(1.6), run(0.8)), List.of(run(1.0), run(2.0), run(1.0)), 1_000);
    assertThat(ratios).hasSize(3).allSatisfy(r -> assertThat(r).isCloseTo(0.8, offset(1e-9)));
    assertThat(CeilingScenario.median(ratios)).isCloseTo(0.8, offset(1e-9));

    // Round by round, in order: never one round's loop against another round's job.
    assertThat(
            CeilingScenario.cpuRatiosByRound(
                List.of(run(1.6), run(0.8)), List.of(run(1.0), run(2.0)), 1_000))
        .satisfiesExactly(
            r -> assertThat(r).isCloseTo(1.6, offset(1e-9)),
            r -> assertThat(r).isCloseTo(0.4, offset(1e-9)));
  }

  @Test
  void roundsWithoutAPartnerAreRefused() {
    assertThatThrownBy(
            () -> CeilingScenario.cpuRatiosByRound(List.of(run(1)), List.of(run(1), run(1)), 1_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rounds pair one of each");
  }
}
