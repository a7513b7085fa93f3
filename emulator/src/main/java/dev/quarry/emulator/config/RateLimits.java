package dev.quarry.emulator.config;

import java.util.Objects;

/**
 * Bedrock-style quotas for one model: requests per minute and tokens per minute, each a token
 * bucket refilled continuously at limit/60 per second. A limit of 0 means unlimited; a burst of 0
 * means one second's worth.
 */
public final class RateLimits {
  /** Default cap on the output tokens a request reserves against the tokens-per-minute budget. */
  public static final int DEFAULT_OUTPUT_TOKEN_RESERVATION_CAP = 4096;

  private static final RateLimits UNLIMITED = builder().build();

  private final long requestsPerMinute;
  private final long tokensPerMinute;
  private final long requestBurst;
  private final long tokenBurst;
  private final int outputTokenReservationCap;

  private RateLimits(Builder b) {
    this.requestsPerMinute = requireNonNegative(b.requestsPerMinute, "requestsPerMinute");
    this.tokensPerMinute = requireNonNegative(b.tokensPerMinute, "tokensPerMinute");
    this.requestBurst = requireNonNegative(b.requestBurst, "requestBurst");
    this.tokenBurst = requireNonNegative(b.tokenBurst, "tokenBurst");
    if (b.outputTokenReservationCap < 1) {
      throw new IllegalArgumentException("limits outputTokenReservationCap must be >= 1");
    }
    this.outputTokenReservationCap = b.outputTokenReservationCap;
  }

  private static long requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "limits " + name + " must be >= 0 (0 = default), got " + value);
    }
    return value;
  }

  /** No limits at all. */
  public static RateLimits unlimited() {
    return UNLIMITED;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Requests per minute; 0 = unlimited. */
  public long requestsPerMinute() {
    return requestsPerMinute;
  }

  /** Tokens (input + reserved output) per minute; 0 = unlimited. */
  public long tokensPerMinute() {
    return tokensPerMinute;
  }

  /** Capacity of the request bucket: the configured burst, else one second's worth (at least 1). */
  public double effectiveRequestBurst() {
    return requestBurst > 0 ? requestBurst : Math.max(1.0, requestsPerMinute / 60.0);
  }

  /** Capacity of the token bucket: the configured burst, else one second's worth (at least 1). */
  public double effectiveTokenBurst() {
    return tokenBurst > 0 ? tokenBurst : Math.max(1.0, tokensPerMinute / 60.0);
  }

  /** The configured request burst; 0 = default. */
  public long requestBurst() {
    return requestBurst;
  }

  /** The configured token burst; 0 = default. */
  public long tokenBurst() {
    return tokenBurst;
  }

  /** Most output tokens one request reserves up front, whatever max it asks for. */
  public int outputTokenReservationCap() {
    return outputTokenReservationCap;
  }

  /** True when neither limit is set. */
  public boolean isUnlimited() {
    return requestsPerMinute == 0 && tokensPerMinute == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimits that
        && requestsPerMinute == that.requestsPerMinute
        && tokensPerMinute == that.tokensPerMinute
        && requestBurst == that.requestBurst
        && tokenBurst == that.tokenBurst
        && outputTokenReservationCap == that.outputTokenReservationCap;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        requestsPerMinute, tokensPerMinute, requestBurst, tokenBurst, outputTokenReservationCap);
  }

  @Override
  public String toString() {
    return "RateLimits{rpm="
        + requestsPerMinute
        + ", tpm="
        + tokensPerMinute
        + ", requestBurst="
        + requestBurst
        + ", tokenBurst="
        + tokenBurst
        + ", outputTokenReservationCap="
        + outputTokenReservationCap
        + "}";
  }

  /** Builder for {@link RateLimits}. */
  public static final class Builder {
    private long requestsPerMinute;
    private long tokensPerMinute;
    private long requestBurst;
    private long tokenBurst;
    private int outputTokenReservationCap = DEFAULT_OUTPUT_TOKEN_RESERVATION_CAP;

    private Builder() {}

    private Builder(RateLimits l) {
      this.requestsPerMinute = l.requestsPerMinute;
      this.tokensPerMinute = l.tokensPerMinute;
      this.requestBurst = l.requestBurst;
      this.tokenBurst = l.tokenBurst;
      this.outputTokenReservationCap = l.outputTokenReservationCap;
    }

    public Builder requestsPerMinute(long requestsPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      return this;
    }

    public Builder tokensPerMinute(long tokensPerMinute) {
      this.tokensPerMinute = tokensPerMinute;
      return this;
    }

    public Builder requestBurst(long requestBurst) {
      this.requestBurst = requestBurst;
      return this;
    }

    public Builder tokenBurst(long tokenBurst) {
      this.tokenBurst = tokenBurst;
      return this;
    }

    public Builder outputTokenReservationCap(int cap) {
      this.outputTokenReservationCap = cap;
      return this;
    }

    public RateLimits build() {
      return new RateLimits(this);
    }
  }
}
