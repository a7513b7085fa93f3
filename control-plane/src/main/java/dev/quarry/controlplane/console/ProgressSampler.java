package dev.quarry.controlplane.console;

import dev.quarry.controlplane.store.JobCalls;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
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
      Map<String, JobCalls> calls = store.runningJobCalls();
      for (JobRecord job : store.findByStatus(RUNNING)) {
        running.add(job.jobId());
        JobCalls c = calls.getOrDefault(job.jobId(), JobCalls.NONE);
        if (job.counts() != null || c != JobCalls.NONE) {
          long processed = job.counts() == null ? 0 : job.counts().processed();
          samples.record(
              job.jobId(),
              new ProgressSamples.Sample(
                  now, processed, c.calls(), c.throttled(), c.allowedPerMinute()));
        }
      }
      // a job that just ended gets its final count, so its chart and average rate cover the whole
      // run
      for (String ended : runningBefore) {
        if (!running.contains(ended)) {
          store
              .find(ended)
              .filter(j -> j.counts() != null)
              .ifPresent(j -> samples.record(ended, finalSample(ended, now, j)));
        }
      }
      runningBefore = running;
    } catch (RuntimeException e) {
      LOG.warn("Sampling running jobs' progress failed; trying again at the next interval", e);
    }
  }

  /** A just-ended job's final count, with the call figures of its last running sample. */
  private ProgressSamples.Sample finalSample(String jobId, long now, JobRecord job) {
    ProgressSamples.Sample last = samples.latest(jobId);
    return new ProgressSamples.Sample(
        now,
        job.counts().processed(),
        last == null ? 0 : last.calls(),
        last == null ? 0 : last.throttled(),
        0);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
