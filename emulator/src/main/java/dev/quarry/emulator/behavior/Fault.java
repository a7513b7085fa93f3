package dev.quarry.emulator.behavior;

import dev.quarry.emulator.wire.ErrorShape;
import dev.quarry.emulator.wire.ServiceError;
import java.util.Map;

/**
 * A failure the emulator produces on purpose, either drawn at a configured rate or demanded by a
 * directive in the request body. "At the model" failures happen after the model latency, as they
 * would in Bedrock; front-door rejections (throttling, validation, unavailability) are immediate.
 */
public enum Fault {
  INTERNAL_SERVER_ERROR(
      ErrorShape.INTERNAL_SERVER,
      true,
      "The system encountered an unexpected error during processing. Try your request again."),
  SERVICE_UNAVAILABLE(
      ErrorShape.SERVICE_UNAVAILABLE, false, "Bedrock is unable to process your request."),
  MODEL_TIMEOUT(
      ErrorShape.MODEL_TIMEOUT,
      true,
      "Model has timed out in processing the request. Try your request again."),
  MODEL_ERROR(
      ErrorShape.MODEL_ERROR,
      true,
      "Received server error (500) from model. Try your request again."),
  THROTTLED(ErrorShape.THROTTLING, false, "Too many requests, please wait before trying again."),
  VALIDATION(
      ErrorShape.VALIDATION,
      false,
      "Malformed input request: the request was rejected by an emulator directive, please reformat your input "
          + "and try again."),
  /** The TCP connection is closed without any response. */
  DROPPED_CONNECTION(null, true, null);

  /** The status {@code originalStatusCode} reports for an injected ModelErrorException. */
  public static final int MODEL_ERROR_ORIGINAL_STATUS = 500;

  private final ErrorShape shape;
  private final boolean atModel;
  private final String message;

  Fault(ErrorShape shape, boolean atModel, String message) {
    this.shape = shape;
    this.atModel = atModel;
    this.message = message;
  }

  /** True when the fault strikes after the model latency rather than at the front door. */
  public boolean atModel() {
    return atModel;
  }

  /** True for the one fault that sends nothing back. */
  public boolean dropsConnection() {
    return this == DROPPED_CONNECTION;
  }

  /** The error shape answered, or null for a dropped connection. */
  public ErrorShape shape() {
    return shape;
  }

  /**
   * The error to answer with; {@code resourceName} is the model id, used by ModelErrorException.
   */
  public ServiceError toError(String resourceName) {
    if (shape == null) {
      throw new IllegalStateException(this + " has no error response");
    }
    if (this == MODEL_ERROR) {
      return new ServiceError(
          shape,
          message,
          Map.of("originalStatusCode", MODEL_ERROR_ORIGINAL_STATUS, "resourceName", resourceName));
    }
    return new ServiceError(shape, message);
  }
}
