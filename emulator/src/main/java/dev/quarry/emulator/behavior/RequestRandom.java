package dev.quarry.emulator.behavior;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The random numbers one request consumes (fault draw, latency draw). With a seed they are a pure
 * function of (seed, body, attempt number), so a run is reproducible whatever order concurrent
 * requests arrive in, while a retry of the same body still gets a fresh draw.
 */
public abstract class RequestRandom {
  private RequestRandom() {}

  /** Fresh, unrepeatable randomness. */
  public static RequestRandom unseeded() {
    return Unseeded.INSTANCE;
  }

  /** Reproducible randomness for the {@code attempt}-th request with body key {@code bodyKey}. */
  public static RequestRandom seeded(long seed, long bodyKey, long attempt) {
    return new Seeded(mix(seed ^ mix(bodyKey) ^ mix(attempt * 0x9E3779B97F4A7C15L)));
  }

  /** A uniform double in [0, 1). */
  public abstract double nextDouble();

  /** A standard normal deviate. */
  public double nextGaussian() {
    // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
    double u1 = 1.0 - nextDouble();
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  // SplitMix64's finalizer: a cheap, well-mixed 64-bit hash.
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final class Unseeded extends RequestRandom {
    static final Unseeded INSTANCE = new Unseeded();

    @Override
    public double nextDouble() {
      return ThreadLocalRandom.current().nextDouble();
    }
  }

  private static final class Seeded extends RequestRandom {
    private long state;

    Seeded(long state) {
      this.state = state;
    }

    @Override
    public double nextDouble() {
      state += 0x9E3779B97F4A7C15L;
      return (mix(state) >>> 11) * 0x1.0p-53;
    }
  }
}
