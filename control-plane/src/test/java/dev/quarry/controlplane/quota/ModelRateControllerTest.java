package dev.quarry.controlplane.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The CUBIC rate of a model, driven period by period with figures a saturated model would give. */
class ModelRateControllerTest {
  private static final long PERIOD = 500;

  @Test
  void slowStartGrowsByHalfPerSecondWhileUsedAndCutsBelowWhatGotThroughAtTheFirst429() {
    ModelRateController c = new ModelRateController(60, false, 0);
    long t = 0;
    for (int i = 0; i < 4; i++) {
      t += PERIOD;
      c.update(t, 5, 0, true);
    }
    double grown = 60 * Math.pow(1 + ModelRateController.SLOW_START_GROWTH_PER_SECOND, 2);
    assertThat(c.rate()).isCloseTo(grown, within(1e-6));
    // Not used: no growth.
    t += PERIOD;
    c.update(t, 1, 0, false);
    assertThat(c.rate()).isCloseTo(grown, within(1e-6));
    // The model throttles and nothing got through in the period: the rate overshot, so the cut is
    // to 0.85
    // of the rate of a second ago, which did get through.
    t += PERIOD;
    assertThat(c.update(t, 0, 3, true)).isTrue();
    assertThat(c.slowStart()).isFalse();
    assertThat(c.rate())
        .isCloseTo(
            0.85 * grown / (1 + ModelRateController.SLOW_START_GROWTH_PER_SECOND), within(1e-6));
  }

  @Test
  void afterACutItClimbsBackToThe429RateOnAPlateauAndOnlyThenProbesAbove() {
    ModelRateController c = new ModelRateController(1200, true, 0);
    assertThat(c.update(PERIOD, 9, 1, true)).isTrue();
    assertThat(c.rate()).isCloseTo(1020, within(1e-6));
    // Throttles within the cooldown are the echo of the cut.
    assertThat(c.update(2 * PERIOD, 9, 1, true)).isFalse();
    long t = 2 * PERIOD;
    double halfway = 0;
    while (t < PERIOD + 6_000) {
      t += PERIOD;
      c.update(t, 10, 0, true);
      if (t == PERIOD + 3_000) {
        halfway = c.rate();
      }
    }
    // Concave: most of the way back at half the plateau time, at the old rate when it ends.
    assertThat(halfway).isBetween(1150.0, 1200.0);
    assertThat(c.rate()).isCloseTo(1200, within(1.0));
    for (int i = 0; i < 6; i++) {
      t += PERIOD;
      c.update(t, 10, 0, true);
    }
    assertThat(c.rate()).isBetween(1201.0, 1200 * 1.2);
  }

  @Test
  void timeTheRateGoesUnusedDoesNotCountTowardsTheClimb() {
    ModelRateController c = new ModelRateController(1200, true, 0);
    c.update(PERIOD, 9, 1, true);
    long t = PERIOD;
    for (int i = 0; i < 20; i++) {
      t += PERIOD;
      c.update(t, 3, 0, false);
    }
    assertThat(c.rate()).isCloseTo(1020, within(1e-6));
    t += PERIOD;
    c.update(t, 10, 0, true);
    assertThat(c.rate()).isLessThan(1100);
  }
}
