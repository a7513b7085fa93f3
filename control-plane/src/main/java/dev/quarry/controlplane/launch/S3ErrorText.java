package dev.quarry.controlplane.launch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes S3's own words out of a job's failure message: the AWS SDK's text of an S3 error ({@code
 * "…S3Exception: <S3's message> (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied;
 * Request ID: …)"}) becomes {@code "…S3Exception: S3 error AccessDenied (HTTP 403)"}. S3's message
 * can quote bucket policies and principals; the caller gets the code, which says what to fix.
 */
final class S3ErrorText {
  private static final Pattern SDK_SUFFIX =
      Pattern.compile(
          "\\(Service: (?:Amazon )?S3[;,] Status Code: (\\d{3})[;,] Error Code: ([A-Za-z0-9.]+)[^)]{0,400}\\)");

  /** Where S3's message starts: after the exception's name, or the start of a nested cause. */
  private static final String[] MESSAGE_STARTS = {"Exception: ", "(cause: ", "; caused by "};

  private S3ErrorText() {}

  static String redact(String message) {
    if (message == null || !message.contains("(Service: ")) {
      return message;
    }
    StringBuilder out = new StringBuilder();
    Matcher m = SDK_SUFFIX.matcher(message);
    int copied = 0;
    while (m.find()) {
      int start = copied;
      for (String marker : MESSAGE_STARTS) {
        int at = message.lastIndexOf(marker, m.start());
        if (at >= copied) {
          start = Math.max(start, at + marker.length());
        }
      }
      out.append(message, copied, start)
          .append("S3 error ")
          .append(m.group(2))
          .append(" (HTTP ")
          .append(m.group(1))
          .append(')');
      copied = m.end();
    }
    return out.append(message, copied, message.length()).toString();
  }
}
