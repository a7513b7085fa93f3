package dev.quarry.controlplane.console;

import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the processed counts of every running job at a fixed interval into {@link
 * ProgressSamples}.
 */
final class ProgressSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressSampler.class);
  static final Set<JobStatus> RUNNING = EnumSet.of(JobStatus.IN_PROGRESS, JobStatus.STOPPING);

  private final JobStore store;
  private final ProgressSamples samples;
  // the wall clock, not the control plane's: a rate needs real elapsed time
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService timer;
  private Set<String> runningBefore = Set.of();

  ProgressSampler(JobStore store, ProgressSamples samples, long intervalMillis) {
    this.store = store;
    this.samples = samples;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-console-sampler");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::sample, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  void sample() {
    try {
      long now = clock.millis();
      Set<String> running = new HashSet<>();
      for (JobRecord job : store.findByStatus(RUNNING)) {
        running.add(job.jobId());
        if (job.counts() != null) {
          samples.record(job.jobId(), now, job.counts().processed());
        }
      }
      // a job that just ended gets its final count, so its chart and average rate cover the whole
      // run
      for (String ended : runningBefore) {
        if (!running.contains(ended)) {
          store
              .find(ended)
              .filter(j -> j.counts() != null)
              .ifPresent(j -> samples.record(ended, now, j.counts().processed()));
        }
      }
      runningBefore = running;
    } catch (RuntimeException e) {
      LOG.warn("Sampling running jobs' progress failed; trying again at the next interval", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
