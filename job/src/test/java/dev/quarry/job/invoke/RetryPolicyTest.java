package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final CallFailure THROTTLED = new CallFailure(429, "slow down", true, true);
  private static final CallFailure SERVER = new CallFailure(503, "unavailable", false, true);
  private static final CallFailure BAD_INPUT = new CallFailure(400, "bad", false, false);

  @Test
  void retriesRetryableFailuresUpToTheAttemptCap() {
    RetryPolicy policy = new RetryPolicy(3, 100, 1_000);
    assertThat(policy.maxAttempts()).isEqualTo(3);
    assertThat(policy.shouldRetry(THROTTLED, 1)).isTrue();
    assertThat(policy.shouldRetry(THROTTLED, 2)).isTrue();
    assertThat(policy.shouldRetry(THROTTLED, 3)).isFalse();
    assertThat(policy.shouldRetry(SERVER, 2)).isTrue();
    assertThat(policy.shouldRetry(SERVER, 3)).isFalse();
    assertThat(policy.shouldRetry(SERVER, 4)).isFalse();
  }

  @Test
  void neverRetriesWhatCannotSucceed() {
    RetryPolicy policy = new RetryPolicy(8, 100, 1_000);
    for (int attempt = 1; attempt <= 8; attempt++) {
      assertThat(policy.shouldRetry(BAD_INPUT, attempt)).isFalse();
    }
  }

  @Test
  void oneAttemptMeansNoRetry() {
    RetryPolicy policy = new RetryPolicy(1, 100, 1_000);
    assertThat(policy.shouldRetry(THROTTLED, 1)).isFalse();
  }

  private static LongSummaryStatistics sample(RetryPolicy policy, int attempt) {
    return LongStream.range(0, 4_000).map(i -> policy.backoffMillis(attempt)).summaryStatistics();
  }

  @Test
  void backoffDoublesPerAttemptWithJitterInTheUpperHalf() {
    RetryPolicy policy = new RetryPolicy(10, 100, 1_000);
    long[] caps = {100, 200, 400, 800, 1_000, 1_000, 1_000};
    for (int attempt = 1; attempt <= caps.length; attempt++) {
      long cap = caps[attempt - 1];
      LongSummaryStatistics s = sample(policy, attempt);
      assertThat(s.getMin()).as("min of attempt %d", attempt).isGreaterThanOrEqualTo(cap / 2);
      assertThat(s.getMax()).as("max of attempt %d", attempt).isLessThanOrEqualTo(cap);
      // Jitter actually spreads over the range.
      assertThat(s.getMin()).as("min of attempt %d", attempt).isLessThan(cap / 2 + cap / 10);
      assertThat(s.getMax()).as("max of attempt %d", attempt).isGreaterThan(cap - cap / 10);
      assertThat(s.getAverage()).isBetween(0.70 * cap, 0.80 * cap);
    }
  }

  @Test
  void backoffIsCappedAtTheMaximumEvenForHugeAttemptNumbers() {
    RetryPolicy policy = new RetryPolicy(100, 200, 20_000);
    for (int attempt : new int[] {8, 30, 31, 32, 63, 64, 65, 1_000, Integer.MAX_VALUE}) {
      LongSummaryStatistics s = sample(policy, attempt);
      assertThat(s.getMin()).as("attempt %d", attempt).isGreaterThanOrEqualTo(10_000);
      assertThat(s.getMax()).as("attempt %d", attempt).isLessThanOrEqualTo(20_000);
    }
  }

  @Test
  void backoffOfOneMillisecond() {
    RetryPolicy policy = new RetryPolicy(5, 1, 1);
    assertThat(sample(policy, 1).getMin()).isGreaterThanOrEqualTo(0);
    assertThat(sample(policy, 3).getMax()).isLessThanOrEqualTo(1);
  }
}
