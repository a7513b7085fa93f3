package dev.quarry.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** records/s from sampled processed counts, and the bounds on what is kept. */
class ProgressSamplesTest {
  @Test
  void aRunningJobsRateIsOverTheLastWindowAndAnEndedOnesOverItsRun() {
    ProgressSamples samples = new ProgressSamples();
    assertThat(samples.rate("job", true)).isNull();
    samples.record("job", 0, 0);
    assertThat(samples.rate("job", true)).isNull();
    // 10 records/s for 20 s, then 50 records/s for 10 s
    for (int s = 2; s <= 20; s += 2) {
      samples.record("job", s * 1000L, s * 10L);
    }
    for (int s = 22; s <= 30; s += 2) {
      samples.record("job", s * 1000L, 200 + (s - 20) * 50L);
    }
    assertThat(samples.rate("job", true)).isEqualTo(50.0);
    assertThat(samples.rate("job", false)).isEqualTo(700.0 / 30);
  }

  @Test
  void historiesAreThinnedNotCutAndOldJobsForgotten() {
    ProgressSamples samples = new ProgressSamples();
    for (int i = 0; i < ProgressSamples.MAX_SAMPLES_PER_JOB * 3; i++) {
      samples.record("long", i * 1000L, i);
    }
    assertThat(samples.of("long")).hasSizeLessThanOrEqualTo(ProgressSamples.MAX_SAMPLES_PER_JOB);
    assertThat(samples.of("long").get(0).atMillis()).isZero();
    samples.record("long", 500, 1);
    assertThat(samples.of("long").get(samples.of("long").size() - 1).atMillis())
        .as("out of order ignored")
        .isEqualTo((ProgressSamples.MAX_SAMPLES_PER_JOB * 3 - 1) * 1000L);
    for (int j = 0; j <= ProgressSamples.MAX_JOBS; j++) {
      samples.record("job-" + j, 1, 1);
    }
    assertThat(samples.of("long")).isEmpty();
    assertThat(samples.of("job-" + ProgressSamples.MAX_JOBS)).hasSize(1);
  }
}
