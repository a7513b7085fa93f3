package dev.quarry.emulator.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.emulator.config.FaultRates;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

  @Test
  void eachKindOccupiesItsOwnShareOfTheUnitInterval() {
    FaultRates rates =
        FaultRates.builder()
            .droppedConnection(0.1)
            .internalServerError(0.2)
            .serviceUnavailable(0.1)
            .modelTimeout(0.1)
            .modelError(0.1)
            .build();

    assertThat(FaultInjector.pick(rates, 0.05)).hasValue(Fault.DROPPED_CONNECTION);
    assertThat(FaultInjector.pick(rates, 0.15)).hasValue(Fault.INTERNAL_SERVER_ERROR);
    assertThat(FaultInjector.pick(rates, 0.35)).hasValue(Fault.SERVICE_UNAVAILABLE);
    assertThat(FaultInjector.pick(rates, 0.45)).hasValue(Fault.MODEL_TIMEOUT);
    assertThat(FaultInjector.pick(rates, 0.55)).hasValue(Fault.MODEL_ERROR);
    assertThat(FaultInjector.pick(rates, 0.65)).isEmpty();
    assertThat(FaultInjector.pick(FaultRates.none(), 0.0)).isEmpty();
  }

  @Test
  void seededDrawsArePureFunctionsOfSeedBodyAndAttempt() {
    double a = RequestRandom.seeded(1, 99, 1).nextDouble();

    assertThat(RequestRandom.seeded(1, 99, 1).nextDouble()).isEqualTo(a);
    assertThat(RequestRandom.seeded(1, 99, 2).nextDouble()).isNotEqualTo(a);
    assertThat(RequestRandom.seeded(2, 99, 1).nextDouble()).isNotEqualTo(a);
    assertThat(RequestRandom.seeded(1, 98, 1).nextDouble()).isNotEqualTo(a);
  }

  @Test
  void seededDrawsAreUniform() {
    int below = 0;
    for (int i = 0; i < 10_000; i++) {
      double u = RequestRandom.seeded(5, i, 1).nextDouble();
      assertThat(u).isBetween(0.0, 1.0);
      if (u < 0.3) {
        below++;
      }
    }
    assertThat(below).isBetween(2800, 3200);
  }
}
