package dev.quarry.emulator.config;

import java.util.Objects;

/**
 * Fractions (0..1) of requests that fail on purpose, by kind. One uniform draw per request picks at
 * most one fault, so each kind occurs at exactly its configured rate; the rates must therefore add
 * up to at most 1.
 */
public final class FaultRates {
  private static final FaultRates NONE = builder().build();

  private final double internalServerError;
  private final double serviceUnavailable;
  private final double modelTimeout;
  private final double modelError;
  private final double droppedConnection;

  private FaultRates(Builder b) {
    this.internalServerError = requireFraction(b.internalServerError, "internalServerError");
    this.serviceUnavailable = requireFraction(b.serviceUnavailable, "serviceUnavailable");
    this.modelTimeout = requireFraction(b.modelTimeout, "modelTimeout");
    this.modelError = requireFraction(b.modelError, "modelError");
    this.droppedConnection = requireFraction(b.droppedConnection, "droppedConnection");
    if (total() > 1.0 + 1e-9) {
      throw new IllegalArgumentException("fault rates add up to " + total() + ", more than 1");
    }
  }

  private static double requireFraction(double value, String name) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException("faults " + name + " must be within 0..1, got " + value);
    }
    return value;
  }

  /** No injected faults. */
  public static FaultRates none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Share answered 500 InternalServerException. */
  public double internalServerError() {
    return internalServerError;
  }

  /** Share answered 503 ServiceUnavailableException. */
  public double serviceUnavailable() {
    return serviceUnavailable;
  }

  /** Share answered 408 ModelTimeoutException. */
  public double modelTimeout() {
    return modelTimeout;
  }

  /** Share answered 424 ModelErrorException. */
  public double modelError() {
    return modelError;
  }

  /** Share whose TCP connection is closed without any response. */
  public double droppedConnection() {
    return droppedConnection;
  }

  /** Sum of all rates. */
  public double total() {
    return internalServerError + serviceUnavailable + modelTimeout + modelError + droppedConnection;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaultRates that
        && internalServerError == that.internalServerError
        && serviceUnavailable == that.serviceUnavailable
        && modelTimeout == that.modelTimeout
        && modelError == that.modelError
        && droppedConnection == that.droppedConnection;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        internalServerError, serviceUnavailable, modelTimeout, modelError, droppedConnection);
  }

  @Override
  public String toString() {
    return "FaultRates{500="
        + internalServerError
        + ", 503="
        + serviceUnavailable
        + ", 408="
        + modelTimeout
        + ", 424="
        + modelError
        + ", drop="
        + droppedConnection
        + "}";
  }

  /** Builder for {@link FaultRates}. */
  public static final class Builder {
    private double internalServerError;
    private double serviceUnavailable;
    private double modelTimeout;
    private double modelError;
    private double droppedConnection;

    private Builder() {}

    private Builder(FaultRates f) {
      this.internalServerError = f.internalServerError;
      this.serviceUnavailable = f.serviceUnavailable;
      this.modelTimeout = f.modelTimeout;
      this.modelError = f.modelError;
      this.droppedConnection = f.droppedConnection;
    }

    public Builder internalServerError(double rate) {
      this.internalServerError = rate;
      return this;
    }

    public Builder serviceUnavailable(double rate) {
      this.serviceUnavailable = rate;
      return this;
    }

    public Builder modelTimeout(double rate) {
      this.modelTimeout = rate;
      return this;
    }

    public Builder modelError(double rate) {
      this.modelError = rate;
      return this;
    }

    public Builder droppedConnection(double rate) {
      this.droppedConnection = rate;
      return this;
    }

    public FaultRates build() {
      return new FaultRates(this);
    }
  }
}
