package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdaptiveRateTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final long T0 = 7 * S; // an arbitrary clock origin

  private static void successes(AdaptiveRate rate, long from, long to, int n) {
    for (int i = 0; i < n; i++) {
      rate.onSuccess(from + (to - from) * i / n);
    }
  }

  /** Throttled at T0, {@code accepted} successes in the next second, throttled at T0 + 1 s. */
  private static AdaptiveRate foundAt(double ceiling, int accepted) {
    AdaptiveRate rate = new AdaptiveRate(ceiling);
    rate.onThrottled(T0, T0);
    successes(rate, T0 + 1, T0 + S, accepted);
    rate.onThrottled(T0 + S, T0 + S);
    return rate;
  }

  @Test
  void unboundedUntilThrottled() {
    AdaptiveRate rate = new AdaptiveRate(Double.POSITIVE_INFINITY);
    rate.onSuccess(T0);
    rate.onSuccess(T0 + 10 * S);
    assertThat(rate.rate()).isInfinite();
  }

  @Test
  void afterASecondOfThrottlingItStartsJustUnderWhatWasAccepted() {
    AdaptiveRate rate = new AdaptiveRate(Double.POSITIVE_INFINITY);
    rate.onThrottled(T0, T0);
    successes(rate, T0 + 1, T0 + S, 40);
    rate.onThrottled(T0 + S - 1, T0);
    assertThat(rate.rate()).as("not yet a second of throttling").isInfinite();
    rate.onThrottled(T0 + S, T0);
    assertThat(rate.rate()).isCloseTo(0.85 * 40, offset(1e-6));
  }

  @Test
  void aModelThatAcceptsNothingYetLeavesTheRateUnbounded() {
    AdaptiveRate rate = new AdaptiveRate(Double.POSITIVE_INFINITY);
    rate.onThrottled(T0, T0);
    rate.onThrottled(T0 + S, T0 + S);
    rate.onThrottled(T0 + 2 * S, T0 + 2 * S);
    assertThat(rate.rate()).isInfinite();
    successes(rate, T0 + 2 * S, T0 + 3 * S, 30);
    rate.onThrottled(T0 + 3 * S, T0 + 3 * S);
    assertThat(rate.rate())
        .as("30 accepted over the 3 s since the first throttle")
        .isCloseTo(0.85 * 10, offset(1e-6));
  }

  @Test
  void firstRateIsCappedByTheCeiling() {
    assertThat(foundAt(10, 40).rate()).isCloseTo(8.5, offset(1e-9));
  }

  @Test
  void callsSentBeforeADecreaseDoNotCutAgain() {
    AdaptiveRate rate = foundAt(Double.POSITIVE_INFINITY, 100); // 85 at T0 + 1 s
    rate.onThrottled(T0 + 3 * S, T0 + S - 1);
    assertThat(rate.rate()).isCloseTo(85, offset(1e-9));
    rate.onThrottled(T0 + 3 * S, T0 + 2 * S);
    assertThat(rate.rate()).isCloseTo(85 * 0.85, offset(1e-9));
  }

  @Test
  void atMostOneDecreasePerCooldown() {
    AdaptiveRate rate = foundAt(Double.POSITIVE_INFINITY, 100);
    long decreased = T0 + S;
    rate.onThrottled(decreased + 499 * MS, decreased + 1);
    assertThat(rate.rate()).isCloseTo(85, offset(1e-9));
    rate.onThrottled(decreased + 500 * MS, decreased + 1);
    assertThat(rate.rate()).isCloseTo(72.25, offset(1e-9));
  }

  @Test
  void theIncreaseAcceleratesWithTimeSinceTheLastDecrease() {
    AdaptiveRate rate = foundAt(Double.POSITIVE_INFINITY, 20); // 17, step 0.85/s
    long decreased = T0 + S;
    rate.onSuccess(decreased + S); // 0.85 * (1 + 1/10)
    assertThat(rate.rate()).isCloseTo(17 + 0.935, offset(1e-9));
    rate.onSuccess(decreased + S); // no time passed
    rate.onSuccess(decreased + S / 2); // clock read out of order
    assertThat(rate.rate()).isCloseTo(17 + 0.935, offset(1e-9));
    rate.onSuccess(decreased + 10 * S); // integral 0..10 s: 0.85 * (10 + 100/10)
    assertThat(rate.rate()).isCloseTo(17 + 0.85 * 20, offset(1e-9));
  }

  @Test
  void timeTheRateWentUnusedNeitherRaisesNorAcceleratesIt() {
    AdaptiveRate rate =
        foundAt(Double.POSITIVE_INFINITY, 20); // 17, step 0.85/s, decreased at T0 + 1 s
    long decreased = T0 + S;
    rate.onSuccess(decreased + 10 * S, false); // 10 s in which no call waited for the rate
    assertThat(rate.rate()).isCloseTo(17, offset(1e-9));
    rate.onSuccess(
        decreased + 11 * S, true); // as the first second after a decrease: 0.85 * (1 + 1/10)
    assertThat(rate.rate()).isCloseTo(17 + 0.935, offset(1e-9));
  }

  @Test
  void aBurstOfThrottlesCannotCutBelowWhatWasJustAccepted() {
    AdaptiveRate rate = foundAt(Double.POSITIVE_INFINITY, 20); // 17 at T0 + 1 s
    long t = T0 + S;
    for (int i = 0;
        i < 40;
        i++) { // 10 accepted per second for 4 s, and throttles every 500 ms throughout
      t += S / 10;
      rate.onSuccess(t, false);
      if (i % 5 == 4) {
        rate.onThrottled(t, t);
      }
    }
    // Without the floor: 17 * 0.85^8 = 4.6. With it: 0.85 of the ~10 per second just accepted.
    assertThat(rate.rate()).isBetween(0.85 * 9, 0.85 * 11);
  }

  @Test
  void increaseIsCappedByTheCeiling() {
    AdaptiveRate rate = foundAt(10, 40); // 8.5
    rate.onSuccess(T0 + 100 * S);
    assertThat(rate.rate()).isEqualTo(10.0);
  }

  @Test
  void neverBelowTheMinimumRate() {
    AdaptiveRate rate = foundAt(Double.POSITIVE_INFINITY, 1); // 0.85
    for (int i = 1; i <= 40; i++) {
      rate.onThrottled(T0 + S + i * S, T0 + S + i * S);
    }
    assertThat(rate.rate()).isEqualTo(AdaptiveRate.MIN_RATE);
  }

  // ---- simulation: limiter + adaptive rate against a provider that accepts R calls/s ----

  @ParameterizedTest(name = "R = {0} calls/s")
  @ValueSource(doubles = {50, 100, 200})
  void findsAnUnknownProviderLimit(double r) {
    AdaptiveRate adaptive = new AdaptiveRate(Double.POSITIVE_INFINITY);
    // 32 records in flight, 40 ms per call: up to 800 calls/s offered, far over the limit.
    ProviderSimulation sim =
        new ProviderSimulation(new CallRateLimiter(0, 0, adaptive), r, r / 10, 32, 40, 0, 120)
            .run();

    assertThat(sim.acceptedRate(10, 120))
        .as("accepted calls/s after convergence")
        .isBetween(0.8 * r, 1.01 * r);
    assertThat(sim.throttledShare(10, 120))
        .as("throttled share after convergence")
        .isLessThan(0.10);
    assertThat(sim.throttledShare(0, 120))
        .as("throttled share including the first second")
        .isLessThan(0.15);
    assertThat(sim.minAccepted(10, 120))
        .as("worst second")
        .isGreaterThanOrEqualTo((long) (0.7 * r));
    assertThat(adaptive.rate()).isBetween(0.7 * r, 1.3 * r);
  }

  @Test
  void configuredCeilingOverTheProviderLimitIsStillFound() {
    double r = 100;
    AdaptiveRate adaptive = new AdaptiveRate(150);
    ProviderSimulation sim =
        new ProviderSimulation(new CallRateLimiter(150, 0, adaptive), r, r / 10, 32, 40, 0, 120)
            .run();
    assertThat(sim.acceptedRate(10, 120)).isBetween(0.8 * r, 1.01 * r);
    assertThat(sim.throttledShare(10, 120)).isLessThan(0.10);
  }

  @Test
  void configuredRateUnderTheProviderLimitIsNeverThrottled() {
    AdaptiveRate adaptive = new AdaptiveRate(80);
    ProviderSimulation sim =
        new ProviderSimulation(new CallRateLimiter(80, 0, adaptive), 100, 10, 32, 40, 0, 60).run();
    assertThat(sim.throttledShare(0, 60)).isZero();
    assertThat(sim.acceptedRate(1, 60)).isBetween(79.0, 81.0);
    assertThat(adaptive.rate()).isInfinite();
  }

  /**
   * A low provider limit with the default 128 records in flight and a 1 s round trip: slots are
   * taken when calls are sent, so a lowered rate applies at once (it used to be booked on arrival,
   * and the rate collapsed while old bookings were still throttled).
   */
  @Test
  void findsALowProviderLimitWithTheDefaultQueueDepth() {
    double r = 5;
    AdaptiveRate adaptive = new AdaptiveRate(Double.POSITIVE_INFINITY);
    ProviderSimulation sim =
        new ProviderSimulation(new CallRateLimiter(0, 0, adaptive), r, 1, 128, 1_000, 0, 300).run();
    assertThat(sim.acceptedRate(30, 300)).isGreaterThanOrEqualTo(0.8 * r);
  }

  /**
   * A model not ready for the first 1.5 s (ModelNotReady counts as throttling) must not pin the
   * rate near zero.
   */
  @Test
  void recoversFromAColdStart() {
    double r = 100;
    AdaptiveRate adaptive = new AdaptiveRate(Double.POSITIVE_INFINITY);
    ProviderSimulation sim =
        new ProviderSimulation(new CallRateLimiter(0, 0, adaptive), r, r / 10, 32, 40, 1_500, 120)
            .run();
    assertThat(sim.acceptedRate(60, 120)).isGreaterThanOrEqualTo(0.8 * r);
  }

  /**
   * The benchmark's case: two subtasks share a provider limit of 20 calls/s, answers take 200-800
   * ms, throttles come back at once, 64 records in flight each.
   */
  @Test
  void twoSubtasksShareAnUnknownLimitWithSlowAnswersAndInstantThrottles() {
    double r = 20;
    List<CallRateLimiter> subtasks =
        List.of(
            new CallRateLimiter(0, 0, new AdaptiveRate(Double.POSITIVE_INFINITY)),
            new CallRateLimiter(0, 0, new AdaptiveRate(Double.POSITIVE_INFINITY)));
    ProviderSimulation sim =
        new ProviderSimulation(subtasks, r, r, 64, 200, 800, true, 0, 180).run();
    assertThat(sim.acceptedRate(10, 180))
        .as("accepted calls/s after convergence")
        .isGreaterThanOrEqualTo(0.85 * r);
    assertThat(sim.minAccepted(10, 180))
        .as("worst second")
        .isGreaterThanOrEqualTo((long) (0.6 * r));
  }
}
