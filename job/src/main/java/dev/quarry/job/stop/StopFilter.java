package dev.quarry.job.stop;

import dev.quarry.job.record.BatchRecord;
import java.io.IOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops every record once a stop is requested, so a stopping job calls the model for nothing new;
 * what was already answered is still written and committed.
 *
 * <p>Looks for the {@link StopMarker} at most once per interval, so the check costs nothing per
 * record; a look another subtask of the job in this JVM took within the interval answers too
 * ({@link MarkerLooks}). A task that (re)starts looks at once.
 */
public final class StopFilter extends RichFilterFunction<BatchRecord> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(StopFilter.class);

  private final StopMarker marker;
  private final long checkIntervalMillis;
  private transient long nextCheck;
  private transient boolean looked;
  private transient boolean stopped;

  public StopFilter(StopMarker marker, long checkIntervalMillis) {
    this.marker = marker;
    this.checkIntervalMillis = checkIntervalMillis;
  }

  @Override
  public void open(OpenContext context) {
    nextCheck = 0;
    looked = false;
    stopped = false;
  }

  @Override
  public boolean filter(BatchRecord record) {
    if (stopped) {
      return false;
    }
    long now = System.currentTimeMillis();
    if (now >= nextCheck) {
      nextCheck = now + checkIntervalMillis;
      try {
        stopped = MarkerLooks.requested(marker, looked ? checkIntervalMillis : 0);
        looked = true;
      } catch (IOException e) {
        LOG.warn("Cannot look for the stop marker; will look again", e);
      }
      if (stopped) {
        LOG.info("Stop requested: no further records are sent to the model");
      }
    }
    return !stopped;
  }
}
