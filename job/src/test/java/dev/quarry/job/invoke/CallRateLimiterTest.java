package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallRateLimiterTest {
  /**
   * When a call asking at {@code now} gets its slot, as the dispatcher would find out by asking
   * again.
   */
  private static long reserve(CallRateLimiter limiter, long now, long tokens) {
    long t = now;
    long wait;
    while ((wait = limiter.tryAcquire(t, tokens)) > 0) {
      t += wait;
    }
    return t - now;
  }

  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  @Test
  void noBudgetAndNoAdaptiveRateNeverWaits() {
    CallRateLimiter limiter = new CallRateLimiter(0, 0, null);
    for (int i = 0; i < 1000; i++) {
      assertThat(reserve(limiter, 5 * S, 1_000)).isZero();
    }
    assertThat(limiter.effectiveRequestRate()).isInfinite();
  }

  @Test
  void requestsAreSpacedEvenly() {
    CallRateLimiter limiter = new CallRateLimiter(10, 0, null);
    long now = 3 * S;
    assertThat(reserve(limiter, now, 1)).isZero();
    assertThat(reserve(limiter, now, 1)).isEqualTo(100 * MS);
    assertThat(reserve(limiter, now, 1)).isEqualTo(200 * MS);
    assertThat(reserve(limiter, now + 50 * MS, 1)).isEqualTo(250 * MS);
  }

  @Test
  void slotsOfCallsArrivingFasterThanTheRateAreExactlyOneIntervalApart() {
    CallRateLimiter limiter = new CallRateLimiter(4, 0, null);
    List<Long> slots = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long now = S + i * 10 * MS; // 100 calls/s arriving
      slots.add(now + reserve(limiter, now, 1));
    }
    for (int i = 1; i < slots.size(); i++) {
      assertThat(slots.get(i) - slots.get(i - 1)).isEqualTo(250 * MS);
    }
    assertThat(slots.get(0)).isEqualTo(S);
  }

  @Test
  void noBurstAfterIdle() {
    CallRateLimiter limiter = new CallRateLimiter(10, 0, null);
    reserve(limiter, 0, 1);
    reserve(limiter, 0, 1);
    // Idle for a minute: the unused slots are not saved up.
    long later = 60 * S;
    assertThat(reserve(limiter, later, 1)).isZero();
    assertThat(reserve(limiter, later, 1)).isEqualTo(100 * MS);
    assertThat(reserve(limiter, later, 1)).isEqualTo(200 * MS);
  }

  @Test
  void atHighRatesSlotsAWakeUpCameLateForAreTakenAtOnce() {
    CallRateLimiter limiter = new CallRateLimiter(5_000, 0, null); // a slot every 200 us
    long now = S;
    assertThat(limiter.tryAcquire(now, 1)).isZero();
    assertThat(limiter.tryAcquire(now, 1)).isEqualTo(200_000L);
    // The timer fired 5 ms late: the 25 slots missed meanwhile go at once, then pacing resumes.
    long late = now + 5 * MS;
    int sent = 0;
    while (limiter.tryAcquire(late, 1) == 0) {
      sent++;
    }
    assertThat(sent).isEqualTo(25);
    // 100 ms of calls asking as fast as they can: 100 ms worth of slots, not more.
    int inWindow = 0;
    for (long t = late; t < late + 100 * MS; t += 50_000L) {
      while (limiter.tryAcquire(t, 1) == 0) {
        inWindow++;
      }
    }
    assertThat(inWindow).isBetween(499, 501);
  }

  @Test
  void atHighRatesAnIdleGapLongerThanTheCatchUpIsNotSavedUp() {
    CallRateLimiter limiter = new CallRateLimiter(5_000, 0, null);
    assertThat(limiter.tryAcquire(0, 1)).isZero();
    long later = 50 * MS;
    assertThat(limiter.tryAcquire(later, 1)).isZero();
    assertThat(limiter.tryAcquire(later, 1)).isEqualTo(200_000L);
  }

  @Test
  void tokenBudgetPacesByReservedTokens() {
    CallRateLimiter limiter = new CallRateLimiter(0, 1_000, null);
    assertThat(reserve(limiter, 0, 500)).isZero();
    assertThat(reserve(limiter, 0, 500)).isEqualTo(500 * MS);
    assertThat(reserve(limiter, 0, 100)).isEqualTo(1_000 * MS);
    assertThat(reserve(limiter, 0, 1)).isEqualTo(1_100 * MS);
  }

  @Test
  void tokenBudgetHasNoBurstAfterIdleEither() {
    CallRateLimiter limiter = new CallRateLimiter(0, 1_000, null);
    reserve(limiter, 0, 2_000);
    assertThat(reserve(limiter, 100 * S, 250)).isZero();
    assertThat(reserve(limiter, 100 * S, 250)).isEqualTo(250 * MS);
  }

  @Test
  void settleReturnsUnusedTokens() {
    CallRateLimiter limiter = new CallRateLimiter(0, 1_000, null);
    reserve(limiter, 0, 500);
    reserve(limiter, 0, 500); // booked until 1 s
    limiter.settle(500, 100); // the first call used only 100
    assertThat(reserve(limiter, 0, 10)).isEqualTo(600 * MS);
  }

  @Test
  void settleChargesTokensUsedBeyondTheReservation() {
    CallRateLimiter limiter = new CallRateLimiter(0, 1_000, null);
    reserve(limiter, 0, 100);
    limiter.settle(100, 600);
    assertThat(reserve(limiter, 0, 10)).isEqualTo(600 * MS);
  }

  @Test
  void settlingAFailedCallCannotCreateABurstCredit() {
    CallRateLimiter limiter = new CallRateLimiter(0, 1_000, null);
    reserve(limiter, 0, 1_000);
    limiter.settle(1_000, 0); // nothing used: the whole reservation comes back
    assertThat(reserve(limiter, 0, 400)).isZero();
    assertThat(reserve(limiter, 0, 400)).isEqualTo(400 * MS);
  }

  @Test
  void settleWithoutATokenBudgetChangesNothing() {
    CallRateLimiter limiter = new CallRateLimiter(10, 0, null);
    reserve(limiter, 0, 1);
    limiter.settle(1_000_000, 0);
    assertThat(reserve(limiter, 0, 1)).isEqualTo(100 * MS);
  }

  @Test
  void requestAndTokenBudgetsTogetherWaitForTheLaterSlot() {
    CallRateLimiter limiter = new CallRateLimiter(10, 1_000, null);
    assertThat(reserve(limiter, 0, 1_000)).isZero();
    assertThat(reserve(limiter, 0, 1)).isEqualTo(1_000 * MS); // tokens bind
    CallRateLimiter requestsBind = new CallRateLimiter(10, 1_000_000, null);
    reserve(requestsBind, 0, 1);
    assertThat(reserve(requestsBind, 0, 1)).isEqualTo(100 * MS);
  }

  /**
   * An adaptive rate found at 0.85 x {@code accepted}: throttled at 0, accepted calls, throttled at
   * 1 s.
   */
  private static AdaptiveRate found(double ceiling, int accepted) {
    AdaptiveRate adaptive = new AdaptiveRate(ceiling);
    adaptive.onThrottled(0, 0);
    for (int i = 0; i < accepted; i++) {
      adaptive.onSuccess(1 + i * (S - 2) / accepted);
    }
    adaptive.onThrottled(S, S);
    return adaptive;
  }

  @Test
  void adaptiveRateBelowTheConfiguredRateWins() {
    AdaptiveRate adaptive = found(10, 5);
    CallRateLimiter limiter = new CallRateLimiter(10, 0, adaptive);
    assertThat(limiter.effectiveRequestRate())
        .isCloseTo(4.25, org.assertj.core.data.Offset.offset(1e-6));
    long now = 2 * S;
    assertThat(reserve(limiter, now, 1)).isZero();
    assertThat(reserve(limiter, now, 1)).isEqualTo((long) (1e9 / limiter.effectiveRequestRate()));
  }

  @Test
  void configuredRateBelowTheAdaptiveRateWins() {
    AdaptiveRate adaptive = found(Double.POSITIVE_INFINITY, 100);
    CallRateLimiter limiter = new CallRateLimiter(2, 0, adaptive);
    assertThat(limiter.effectiveRequestRate()).isEqualTo(2.0);
    reserve(limiter, 0, 1);
    assertThat(reserve(limiter, 0, 1)).isEqualTo(500 * MS);
  }

  @Test
  void adaptiveRateAloneLimitsOnceFound() {
    AdaptiveRate adaptive = new AdaptiveRate(Double.POSITIVE_INFINITY);
    CallRateLimiter limiter = new CallRateLimiter(0, 0, adaptive);
    assertThat(reserve(limiter, 0, 1)).isZero();
    assertThat(reserve(limiter, 0, 1)).isZero(); // unbounded until throttled
    limiter.onThrottled(0, 0);
    for (int i = 0; i < 20; i++) {
      limiter.onSuccess(1 + i * 40 * MS);
    }
    limiter.onThrottled(S, S);
    assertThat(limiter.effectiveRequestRate())
        .isCloseTo(17.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void successesRaiseTheAdaptiveRateThroughTheLimiter() {
    AdaptiveRate adaptive = found(Double.POSITIVE_INFINITY, 40); // 34 at 1 s, step 1.7 per second
    CallRateLimiter limiter = new CallRateLimiter(0, 0, adaptive);
    assertThat(reserve(limiter, 3 * S - 10 * MS, 1)).isZero();
    assertThat(reserve(limiter, 3 * S - 10 * MS, 1)).as("a call waits for the rate").isPositive();
    limiter.onSuccess(3 * S); // 2 s: 1.7 * (2 + 4 / 10)
    assertThat(adaptive.rate())
        .isCloseTo(34 + 1.7 * 2.4, org.assertj.core.data.Offset.offset(1e-6));
  }

  /**
   * Calls arrive slower than the rate allows: the rate has not been tested, so it does not climb.
   */
  @Test
  void anUnusedAdaptiveRateDoesNotClimb() {
    AdaptiveRate adaptive = found(Double.POSITIVE_INFINITY, 40); // 34 at 1 s
    CallRateLimiter limiter = new CallRateLimiter(0, 0, adaptive);
    for (int i = 0; i < 20; i++) { // 2 calls/s for 10 s, each finding its slot free
      long at = 2 * S + i * 500 * MS;
      assertThat(reserve(limiter, at, 1)).isZero();
      limiter.onSuccess(at + 100 * MS);
    }
    assertThat(adaptive.rate()).isCloseTo(34, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void withoutAnAdaptiveRateThrottlingChangesNothing() {
    CallRateLimiter limiter = new CallRateLimiter(10, 0, null);
    limiter.onThrottled(0, 0);
    limiter.onThrottled(2 * S, 2 * S);
    limiter.onSuccess(3 * S);
    assertThat(limiter.effectiveRequestRate()).isEqualTo(10.0);
  }

  @Test
  void negativeClockDoesNotDelayTheFirstCall() {
    CallRateLimiter limiter = new CallRateLimiter(10, 1_000, null);
    assertThat(reserve(limiter, -5 * S, 1)).isZero(); // today: 5 s
  }
}
