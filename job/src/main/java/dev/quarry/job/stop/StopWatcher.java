package dev.quarry.job.stop;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for a job's {@link StopMarker} on its own thread and runs an action once it appears, so the
 * thread that sends model calls never waits for the object store.
 */
public final class StopWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StopWatcher.class);

  private final ScheduledExecutorService thread;
  private volatile boolean requested;

  private StopWatcher(String name) {
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts looking for {@code marker} every {@code intervalMillis}; {@code onStop} runs once, on
   * the watcher's thread.
   */
  public static StopWatcher start(
      StopMarker marker, long intervalMillis, String threadName, Runnable onStop) {
    StopWatcher watcher = new StopWatcher(threadName);
    watcher.thread.scheduleWithFixedDelay(
        () -> watcher.look(marker, intervalMillis, onStop),
        0,
        intervalMillis,
        TimeUnit.MILLISECONDS);
    return watcher;
  }

  /** Looks, or takes a look another subtask here took within the interval (MarkerLooks). */
  private void look(StopMarker marker, long intervalMillis, Runnable onStop) {
    if (requested) {
      return;
    }
    try {
      if (MarkerLooks.requested(marker, intervalMillis)) {
        requested = true;
        LOG.info("Stop requested: no further model calls are started");
        onStop.run();
        thread.shutdown();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot look for the stop marker; will look again", e);
    }
  }

  /** Whether the marker has been seen. */
  public boolean requested() {
    return requested;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
