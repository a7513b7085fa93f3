package dev.quarry.emulator.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.emulator.config.RateLimits;
import org.junit.jupiter.api.Test;

class ModelQuotaTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void requestBucketStartsFullAndRefillsContinuously() {
    ModelQuota quota = new ModelQuota(RateLimits.builder().requestsPerMinute(120).build(), 0);

    assertThat(quota.tryAdmit(0, 0)).isTrue();
    assertThat(quota.tryAdmit(0, 0)).isTrue();
    assertThat(quota.tryAdmit(0, 0)).isFalse();
    assertThat(quota.tryAdmit(0, SECOND / 4)).isFalse();
    assertThat(quota.tryAdmit(0, SECOND / 2)).isTrue();
    assertThat(quota.tryAdmit(0, 10 * SECOND)).isTrue();
    assertThat(quota.tryAdmit(0, 10 * SECOND)).isTrue();
    assertThat(quota.tryAdmit(0, 10 * SECOND)).isFalse();
  }

  @Test
  void bothBucketsMustAllowAndOnlyAnAdmittedRequestIsCharged() {
    ModelQuota quota =
        new ModelQuota(
            RateLimits.builder()
                .requestsPerMinute(600)
                .tokensPerMinute(600)
                .tokenBurst(100)
                .build(),
            0);

    assertThat(quota.tryAdmit(80, 0)).isTrue();
    assertThat(quota.tryAdmit(30, 0)).isFalse();
    assertThat(quota.availableTokens(0)).isEqualTo(20);
    assertThat(quota.tryAdmit(20, 0)).isTrue();
  }

  @Test
  void anOversizedRequestIsAdmittedIntoDebtWhenTheBucketIsFull() {
    ModelQuota quota =
        new ModelQuota(RateLimits.builder().tokensPerMinute(6000).tokenBurst(100).build(), 0);

    assertThat(quota.tryAdmit(500, 0)).isTrue();
    assertThat(quota.availableTokens(0)).isEqualTo(-400);
    // 100 tokens per second: back to 50 after 4.5 s, enough for a small request but not for another
    // big one.
    assertThat(quota.tryAdmit(500, 4 * SECOND)).isFalse();
    assertThat(quota.tryAdmit(1, 4 * SECOND + SECOND / 2)).isTrue();
    assertThat(quota.tryAdmit(500, 4 * SECOND + SECOND / 2)).isFalse();
    assertThat(quota.tryAdmit(500, 6 * SECOND)).isTrue();
  }

  @Test
  void refundsNeverOverfillTheBucket() {
    ModelQuota quota =
        new ModelQuota(RateLimits.builder().tokensPerMinute(60).tokenBurst(100).build(), 0);

    quota.tryAdmit(60, 0);
    quota.refundTokens(1000);

    assertThat(quota.availableTokens(0)).isEqualTo(100);
  }
}
