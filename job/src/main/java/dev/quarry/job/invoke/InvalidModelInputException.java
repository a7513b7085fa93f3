package dev.quarry.job.invoke;

/**
 * A {@code modelInput} that cannot be turned into a model request; the record gets a 400 error
 * line.
 */
public class InvalidModelInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidModelInputException(String message) {
    super(message);
  }
}
