package dev.quarry.emulator.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a model takes to answer: either a fixed delay, or a log-normal distribution given by its
 * median and 99th percentile (real model latency has a long right tail), plus an optional cost per
 * generated token, within an optional floor and cap (so a benchmark can ask for, say, 200-800 ms).
 */
public final class LatencyProfile {
  private static final LatencyProfile NONE = builder().build();

  private final long fixedMillis;
  private final long medianMillis;
  private final long p99Millis;
  private final double perOutputTokenMillis;
  private final long maxMillis;
  private final long minMillis;

  private LatencyProfile(Builder b) {
    this.fixedMillis = b.fixedMillis;
    this.medianMillis = b.medianMillis;
    this.p99Millis = b.p99Millis;
    this.perOutputTokenMillis = b.perOutputTokenMillis;
    this.maxMillis = b.maxMillis;
    this.minMillis = b.minMillis;
    if (fixedMillis < 0) {
      throw new IllegalArgumentException("latency fixedMs must be >= 0, got " + fixedMillis);
    }
    if ((medianMillis > 0) != (p99Millis > 0)) {
      throw new IllegalArgumentException("latency medianMs and p99Ms must be given together");
    }
    if (medianMillis < 0 || p99Millis < 0) {
      throw new IllegalArgumentException("latency medianMs and p99Ms must be > 0");
    }
    if (p99Millis < medianMillis) {
      throw new IllegalArgumentException(
          "latency p99Ms (" + p99Millis + ") must be >= medianMs (" + medianMillis + ")");
    }
    if (isLogNormal() && fixedMillis > 0) {
      throw new IllegalArgumentException(
          "latency: give either fixedMs or medianMs/p99Ms, not both");
    }
    if (perOutputTokenMillis < 0 || Double.isNaN(perOutputTokenMillis)) {
      throw new IllegalArgumentException("latency perOutputTokenMs must be >= 0");
    }
    if (maxMillis < 0) {
      throw new IllegalArgumentException("latency maxMs must be >= 0 (0 = no cap)");
    }
    if (minMillis < 0) {
      throw new IllegalArgumentException("latency minMs must be >= 0 (0 = no floor)");
    }
    if (maxMillis > 0 && minMillis > maxMillis) {
      throw new IllegalArgumentException(
          "latency minMs (" + minMillis + ") must be <= maxMs (" + maxMillis + ")");
    }
  }

  /** No latency at all: answers as fast as the server can. */
  public static LatencyProfile none() {
    return NONE;
  }

  /** A constant delay. */
  public static LatencyProfile fixed(Duration delay) {
    return builder().fixed(delay).build();
  }

  /** A log-normal delay with the given median and 99th percentile. */
  public static LatencyProfile logNormal(Duration median, Duration p99) {
    return builder().logNormal(median, p99).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** True when the delay is drawn from a log-normal distribution rather than fixed. */
  public boolean isLogNormal() {
    return medianMillis > 0;
  }

  public long fixedMillis() {
    return fixedMillis;
  }

  public long medianMillis() {
    return medianMillis;
  }

  public long p99Millis() {
    return p99Millis;
  }

  /** Extra delay per generated output token, added to the base delay. */
  public double perOutputTokenMillis() {
    return perOutputTokenMillis;
  }

  /** Upper bound on the total delay; 0 means no cap. */
  public long maxMillis() {
    return maxMillis;
  }

  /** Lower bound on the total delay; 0 means no floor. */
  public long minMillis() {
    return minMillis;
  }

  /** True when every request is answered without delay. */
  public boolean isZero() {
    return fixedMillis == 0 && !isLogNormal() && perOutputTokenMillis == 0 && minMillis == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyProfile that
        && fixedMillis == that.fixedMillis
        && medianMillis == that.medianMillis
        && p99Millis == that.p99Millis
        && perOutputTokenMillis == that.perOutputTokenMillis
        && maxMillis == that.maxMillis
        && minMillis == that.minMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        fixedMillis, medianMillis, p99Millis, perOutputTokenMillis, maxMillis, minMillis);
  }

  @Override
  public String toString() {
    return isLogNormal()
        ? "LatencyProfile{median="
            + medianMillis
            + "ms, p99="
            + p99Millis
            + "ms, perToken="
            + perOutputTokenMillis
            + "ms, min="
            + minMillis
            + "ms, max="
            + maxMillis
            + "ms}"
        : "LatencyProfile{fixed="
            + fixedMillis
            + "ms, perToken="
            + perOutputTokenMillis
            + "ms, min="
            + minMillis
            + "ms, max="
            + maxMillis
            + "ms}";
  }

  /** Builder for {@link LatencyProfile}. */
  public static final class Builder {
    private long fixedMillis;
    private long medianMillis;
    private long p99Millis;
    private double perOutputTokenMillis;
    private long maxMillis;
    private long minMillis;

    private Builder() {}

    private Builder(LatencyProfile p) {
      this.fixedMillis = p.fixedMillis;
      this.medianMillis = p.medianMillis;
      this.p99Millis = p.p99Millis;
      this.perOutputTokenMillis = p.perOutputTokenMillis;
      this.maxMillis = p.maxMillis;
      this.minMillis = p.minMillis;
    }

    /** A constant delay; clears any log-normal setting. */
    public Builder fixed(Duration delay) {
      this.fixedMillis = delay.toMillis();
      this.medianMillis = 0;
      this.p99Millis = 0;
      return this;
    }

    /** A log-normal delay; clears any fixed setting. */
    public Builder logNormal(Duration median, Duration p99) {
      this.medianMillis = median.toMillis();
      this.p99Millis = p99.toMillis();
      this.fixedMillis = 0;
      return this;
    }

    public Builder perOutputToken(Duration perToken) {
      this.perOutputTokenMillis = perToken.toNanos() / 1_000_000.0;
      return this;
    }

    public Builder perOutputTokenMillis(double millis) {
      this.perOutputTokenMillis = millis;
      return this;
    }

    /** Caps the total delay (0 = no cap). */
    public Builder max(Duration max) {
      this.maxMillis = max.toMillis();
      return this;
    }

    /** Raises any shorter delay to {@code min} (0 = no floor). */
    public Builder min(Duration min) {
      this.minMillis = min.toMillis();
      return this;
    }

    public LatencyProfile build() {
      return new LatencyProfile(this);
    }
  }
}
