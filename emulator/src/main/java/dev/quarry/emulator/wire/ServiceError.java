package dev.quarry.emulator.wire;

import java.util.Map;
import java.util.Objects;

/**
 * A request outcome that must go back to the client as a Bedrock error. Thrown from validation code
 * so that parsing can stop at the first fatal problem; carries everything the error response needs.
 */
public final class ServiceError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorShape shape;
  private final transient Map<String, Object> extraMembers;

  /** An error with only the standard {@code message} member. */
  public ServiceError(ErrorShape shape, String message) {
    this(shape, message, Map.of());
  }

  /** An error with extra body members, e.g. {@code originalStatusCode} for ModelErrorException. */
  public ServiceError(ErrorShape shape, String message, Map<String, Object> extraMembers) {
    super(message, null, false, false);
    this.shape = Objects.requireNonNull(shape, "shape");
    this.extraMembers = Map.copyOf(extraMembers);
  }

  /** Shortcut for the common 400 with a message. */
  public static ServiceError validation(String message) {
    return new ServiceError(ErrorShape.VALIDATION, message);
  }

  public ErrorShape shape() {
    return shape;
  }

  /** Body members besides {@code __type} and {@code message}. */
  public Map<String, Object> extraMembers() {
    return extraMembers;
  }
}
