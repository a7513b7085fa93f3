package dev.quarry.controlplane.launch;

/** A job could not be submitted to Flink. */
public class LaunchException extends Exception {
  private static final long serialVersionUID = 1L;

  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
