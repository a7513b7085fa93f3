package dev.quarry.emulator.behavior;

import dev.quarry.emulator.config.LatencyProfile;

/** Draws the delay of one response from a {@link LatencyProfile}. */
public final class LatencySampler {
  // Standard normal quantile at 0.99: p99 = median * exp(sigma * Z99).
  private static final double Z99 = 2.3263478740408408;

  private LatencySampler() {}

  /** Milliseconds to wait before answering a request that generated {@code outputTokens}. */
  public static long sampleMillis(LatencyProfile profile, int outputTokens, RequestRandom random) {
    if (profile.isZero()) {
      return 0;
    }
    double base;
    if (profile.isLogNormal()) {
      double mu = Math.log(profile.medianMillis());
      double sigma = (Math.log(profile.p99Millis()) - mu) / Z99;
      base = Math.exp(mu + sigma * random.nextGaussian());
    } else {
      base = profile.fixedMillis();
    }
    double total = base + profile.perOutputTokenMillis() * Math.max(0, outputTokens);
    long millis = Math.round(total);
    millis = Math.max(millis, profile.minMillis());
    if (profile.maxMillis() > 0) {
      millis = Math.min(millis, profile.maxMillis());
    }
    return Math.max(0, millis);
  }
}
