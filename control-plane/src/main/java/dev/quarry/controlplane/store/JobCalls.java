package dev.quarry.controlplane.store;

/**
 * A job's model calls so far, summed over every run of its model-call subtasks, and the request
 * rate they allow themselves now.
 *
 * @param calls calls sent, retries included
 * @param throttled calls answered 429
 * @param allowedPerMinute the request rate the job's subtasks allow themselves now (0 before they
 *     report one)
 */
public record JobCalls(long calls, long throttled, double allowedPerMinute) {
  public static final JobCalls NONE = new JobCalls(0, 0, 0);

  public JobCalls {
    if (calls < 0 || throttled < 0 || allowedPerMinute < 0) {
      throw new IllegalArgumentException(
          "call figures are >= 0, were " + calls + ", " + throttled + ", " + allowedPerMinute);
    }
  }
}
