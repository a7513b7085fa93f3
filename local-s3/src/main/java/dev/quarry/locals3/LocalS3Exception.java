package dev.quarry.locals3;

/** Raised when the local S3 server cannot start, stop or serve a request. */
public class LocalS3Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LocalS3Exception(String message) {
    super(message);
  }

  public LocalS3Exception(String message, Throwable cause) {
    super(message, cause);
  }
}
