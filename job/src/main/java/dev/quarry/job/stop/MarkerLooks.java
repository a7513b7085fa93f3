package dev.quarry.job.stop;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last look at each stop marker in this JVM, shared by every subtask of a job that runs here:
 * each subtask's stop filter and model-call operator look at their marker every half second, and
 * without sharing a job of parallelism 2 asked its object store four times as often as one look
 * needs (a measurable share of the job's CPU with a local S3). A look younger than the asker's
 * interval answers for it; an older one is looked again.
 */
final class MarkerLooks {
  /**
   * Looks older than this are forgotten, so a long-lived JVM does not keep one per finished job.
   */
  static final long FORGET_AFTER_MILLIS = 10 * 60_000L;

  private record Look(long atMillis, boolean requested) {}

  private static final Map<String, Look> LAST = new ConcurrentHashMap<>();

  private MarkerLooks() {}

  /**
   * Whether {@code marker} is there, as a look at most {@code maxAgeMillis} old saw it (0: look
   * now).
   */
  static boolean requested(StopMarker marker, long maxAgeMillis) throws IOException {
    long now = System.currentTimeMillis();
    Look last = LAST.get(marker.path());
    if (last != null && now - last.atMillis() < maxAgeMillis) {
      return last.requested();
    }
    boolean requested = marker.isRequested();
    if (LAST.put(marker.path(), new Look(now, requested)) == null) {
      LAST.values().removeIf(look -> now - look.atMillis() > FORGET_AFTER_MILLIS);
    }
    return requested;
  }
}
