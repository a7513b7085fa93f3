package dev.quarry.job.quota;

/**
 * What one subtask sends, as reported with its progress so the control plane can divide a model's
 * budget and show the rate in force.
 *
 * @param allowedRequestsPerMinute the request rate this subtask may send now (0: none set)
 * @param calls model calls sent so far, retries included
 * @param throttledCalls calls answered 429 so far
 * @param rateLimited whether calls lately had to wait for the allowed rate, i.e. the subtask wants
 *     more
 */
public record RateUsage(
    double allowedRequestsPerMinute, long calls, long throttledCalls, boolean rateLimited) {

  public RateUsage {
    if (calls < 0
        || throttledCalls < 0
        || throttledCalls > calls
        || !(allowedRequestsPerMinute >= 0)) {
      throw new IllegalArgumentException(
          "inconsistent usage: "
              + allowedRequestsPerMinute
              + " rpm, "
              + calls
              + " calls, "
              + throttledCalls
              + " throttled");
    }
  }
}
