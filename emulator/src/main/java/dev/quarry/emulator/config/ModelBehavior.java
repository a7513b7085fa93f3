package dev.quarry.emulator.config;

import java.util.Objects;

/** How one model (or the default) behaves: its latency, its quotas and its injected faults. */
public final class ModelBehavior {
  private static final ModelBehavior DEFAULT = builder().build();

  private final LatencyProfile latency;
  private final RateLimits limits;
  private final FaultRates faults;

  private ModelBehavior(Builder b) {
    this.latency = Objects.requireNonNull(b.latency, "latency");
    this.limits = Objects.requireNonNull(b.limits, "limits");
    this.faults = Objects.requireNonNull(b.faults, "faults");
  }

  /** No latency, no limits, no faults. */
  public static ModelBehavior defaults() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public LatencyProfile latency() {
    return latency;
  }

  public RateLimits limits() {
    return limits;
  }

  public FaultRates faults() {
    return faults;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelBehavior that
        && latency.equals(that.latency)
        && limits.equals(that.limits)
        && faults.equals(that.faults);
  }

  @Override
  public int hashCode() {
    return Objects.hash(latency, limits, faults);
  }

  @Override
  public String toString() {
    return "ModelBehavior{" + latency + ", " + limits + ", " + faults + "}";
  }

  /** Builder for {@link ModelBehavior}. */
  public static final class Builder {
    private LatencyProfile latency = LatencyProfile.none();
    private RateLimits limits = RateLimits.unlimited();
    private FaultRates faults = FaultRates.none();

    private Builder() {}

    private Builder(ModelBehavior m) {
      this.latency = m.latency;
      this.limits = m.limits;
      this.faults = m.faults;
    }

    public Builder latency(LatencyProfile latency) {
      this.latency = latency;
      return this;
    }

    public Builder limits(RateLimits limits) {
      this.limits = limits;
      return this;
    }

    public Builder faults(FaultRates faults) {
      this.faults = faults;
      return this;
    }

    public ModelBehavior build() {
      return new ModelBehavior(this);
    }
  }
}
