package dev.quarry.controlplane.store;

/**
 * The status store's database failed to do what was asked (connection lost, constraint, SQL error).
 */
public final class JobStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
