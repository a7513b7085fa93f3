package dev.quarry.controlplane.lifecycle;

import java.io.FileNotFoundException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;

/**
 * What kind of S3 failure an exception is, in words a caller can act on: a job's message is shown
 * to whoever created it, and S3's own text (and S3A's, which quotes it) is not theirs to read.
 */
enum S3FailureKind {
  ACCESS_DENIED("access denied"),
  NOT_FOUND("not found"),
  UNREACHABLE("cannot be reached"),
  OTHER("the request failed");

  private final String words;

  S3FailureKind(String words) {
    this.words = words;
  }

  /** The kind of the first cause that tells (S3A wraps the SDK's exceptions in its own). */
  static S3FailureKind of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AccessDeniedException) {
        return ACCESS_DENIED;
      }
      if (t instanceof FileNotFoundException) {
        return NOT_FOUND;
      }
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException
          || t instanceof InterruptedIOException) {
        return UNREACHABLE;
      }
      // S3A's types live in Flink's plugin class loader: known by name only
      String name = t.getClass().getSimpleName();
      if (name.equals("UnknownStoreException") || name.equals("NoSuchBucketException")) {
        return NOT_FOUND;
      }
      String text = String.valueOf(t.getMessage());
      if (text.contains("Status Code: 403")) {
        return ACCESS_DENIED;
      }
      if (text.contains("Status Code: 404")) {
        return NOT_FOUND;
      }
      if (name.equals("AWSClientIOException")
          || name.equals("SdkClientException")
          || name.equals("ConnectTimeoutException")
          || name.equals("HttpHostConnectException")) {
        return UNREACHABLE;
      }
    }
    return OTHER;
  }

  @Override
  public String toString() {
    return words;
  }
}
