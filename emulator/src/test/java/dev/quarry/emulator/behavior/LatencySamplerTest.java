package dev.quarry.emulator.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.emulator.config.LatencyProfile;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LatencySamplerTest {

  @Test
  void logNormalMatchesTheGivenMedianAndP99() {
    LatencyProfile profile =
        LatencyProfile.logNormal(Duration.ofMillis(500), Duration.ofMillis(4000));
    long[] samples = new long[20_000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = LatencySampler.sampleMillis(profile, 0, RequestRandom.seeded(3, i, 1));
    }
    Arrays.sort(samples);

    assertThat(samples[samples.length / 2]).isBetween(470L, 530L);
    assertThat(samples[(int) (samples.length * 0.99)]).isBetween(3500L, 4600L);
  }

  @Test
  void fixedPlusPerTokenWithCap() {
    LatencyProfile profile =
        LatencyProfile.builder()
            .fixed(Duration.ofMillis(100))
            .perOutputToken(Duration.ofMillis(2))
            .max(Duration.ofMillis(250))
            .build();

    assertThat(LatencySampler.sampleMillis(profile, 50, RequestRandom.unseeded())).isEqualTo(200);
    assertThat(LatencySampler.sampleMillis(profile, 500, RequestRandom.unseeded())).isEqualTo(250);
    assertThat(LatencySampler.sampleMillis(LatencyProfile.none(), 500, RequestRandom.unseeded()))
        .isZero();
  }

  @Test
  void floorAndCapBoundALogNormalDelay() {
    LatencyProfile profile =
        LatencyProfile.builder()
            .logNormal(Duration.ofMillis(400), Duration.ofMillis(800))
            .min(Duration.ofMillis(200))
            .max(Duration.ofMillis(800))
            .build();
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 20_000; i++) {
      long ms = LatencySampler.sampleMillis(profile, 0, RequestRandom.seeded(5, i, 1));
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }

    assertThat(min).isEqualTo(200);
    assertThat(max).isEqualTo(800);
  }

  @Test
  void aFloorAboveTheCapIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                LatencyProfile.builder()
                    .min(Duration.ofMillis(900))
                    .max(Duration.ofMillis(800))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minMs");
  }
}
