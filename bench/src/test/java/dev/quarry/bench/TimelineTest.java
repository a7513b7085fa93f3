package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  /** 2 s of start-up, then 100 records/s for 10 s, then a 3 s tail: sampled every 100 ms. */
  private static Timeline startSteadyTail() {
    Timeline t = new Timeline();
    for (int i = 0; i <= 150; i++) {
      double s = i / 10.0;
      long done = s < 2 ? 0 : s < 12 ? Math.round((s - 2) * 100) : 1_000;
      t.add(s, done);
    }
    return t;
  }

  @Test
  void theSteadyRateLeavesOutStartUpAndTail() {
    Timeline t = startSteadyTail();
    assertThat(t.steadyRate(1_000)).isCloseTo(100, offset(1.0));
    assertThat(t.secondsToReach(500)).isCloseTo(7.0, offset(0.01));
  }

  @Test
  void cpuPerRecordIsTakenOverTheSteadyPartAndOverTheWholeRun() {
    Timeline t = new Timeline();
    for (int i = 0; i <= 150; i++) {
      double s = i / 10.0;
      long done = s < 2 ? 0 : s < 12 ? Math.round((s - 2) * 100) : 1_000;
      // 1 CPU-second per second while starting and in the tail, 0.5 s per second while steady
      double cpu = s < 2 ? s : s < 12 ? 2 + (s - 2) * 0.5 : 7 + (s - 12);
      t.add(s, done, cpu);
    }
    assertThat(t.steadyCpuMsPer1000(1_000))
        .as("0.5 s per 100 records")
        .isCloseTo(5_000, offset(1.0));
    assertThat(t.runCpuMsPer1000(1_000))
        .as("10 s for 1,000 records")
        .isCloseTo(10_000, offset(1.0));
    assertThat(startSteadyTail().steadyCpuMsPer1000(1_000)).as("not measured").isNaN();
  }

  @Test
  void aTimelineThatNeverGetsThereHasNoRate() {
    Timeline t = new Timeline();
    t.add(0, 0);
    t.add(1, 50);
    assertThat(t.steadyRate(1_000)).isNaN();
    assertThat(t.secondsToReach(1_000)).isNaN();
  }

  @Test
  void throughputOverWindowsFollowsTheCurve() {
    List<double[]> windows = startSteadyTail().throughput(1.0);
    assertThat(windows).hasSizeGreaterThanOrEqualTo(15);
    assertThat(windows.get(0)[1]).as("start-up").isZero();
    assertThat(windows.get(6)[1]).as("steady").isCloseTo(100, offset(1.0));
    assertThat(windows.get(14)[1]).as("tail").isZero();
  }
}
