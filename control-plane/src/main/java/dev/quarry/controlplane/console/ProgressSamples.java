package dev.quarry.controlplane.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Processed counts of jobs over time, as this replica sampled them, for records/s and its chart.
 * The store keeps only the latest counts, so the history starts when this control plane first saw
 * the job running. Bounded: each job's history is halved in resolution when full, and the jobs seen
 * longest ago are forgotten first.
 */
final class ProgressSamples {
  static final int MAX_SAMPLES_PER_JOB = 600;
  static final int MAX_JOBS = 2_000;

  /** records/s of a running job is measured over the last this many milliseconds. */
  static final long RATE_WINDOW_MILLIS = 10_000;

  /**
   * One observation: at {@code atMillis} (epoch), {@code processed} records had an output line, the
   * job had sent {@code calls} model calls, {@code throttled} of them answered 429, and allowed
   * itself {@code allowedPerMinute} requests a minute.
   */
  record Sample(
      long atMillis, long processed, long calls, long throttled, double allowedPerMinute) {}

  private final Map<String, List<Sample>> byJob =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Sample>> eldest) {
          return size() > MAX_JOBS;
        }
      };

  synchronized void record(String jobId, long atMillis, long processed) {
    record(jobId, new Sample(atMillis, processed, 0, 0, 0));
  }

  synchronized void record(String jobId, Sample sample) {
    long atMillis = sample.atMillis();
    List<Sample> samples = byJob.computeIfAbsent(jobId, id -> new ArrayList<>());
    if (!samples.isEmpty() && samples.get(samples.size() - 1).atMillis() >= atMillis) {
      return;
    }
    if (samples.size() >= MAX_SAMPLES_PER_JOB) {
      List<Sample> thinned = new ArrayList<>(MAX_SAMPLES_PER_JOB / 2 + 1);
      for (int i = 0; i < samples.size(); i += 2) {
        thinned.add(samples.get(i));
      }
      samples.clear();
      samples.addAll(thinned);
    }
    samples.add(sample);
  }

  /** The latest sample of a job, if any. */
  synchronized Sample latest(String jobId) {
    List<Sample> samples = byJob.get(jobId);
    return samples == null || samples.isEmpty() ? null : samples.get(samples.size() - 1);
  }

  synchronized List<Sample> of(String jobId) {
    List<Sample> samples = byJob.get(jobId);
    return samples == null ? List.of() : List.copyOf(samples);
  }

  /**
   * Records per second: over the last {@link #RATE_WINDOW_MILLIS} while the job runs, over all its
   * samples once it ended; null with fewer than two samples.
   */
  synchronized Double rate(String jobId, boolean running) {
    List<Sample> samples = byJob.get(jobId);
    if (samples == null || samples.size() < 2) {
      return null;
    }
    Sample last = samples.get(samples.size() - 1);
    Sample first = samples.get(0);
    if (running) {
      for (int i = samples.size() - 2; i >= 0; i--) {
        first = samples.get(i);
        if (last.atMillis() - first.atMillis() >= RATE_WINDOW_MILLIS) {
          break;
        }
      }
    }
    long millis = last.atMillis() - first.atMillis();
    return millis <= 0 ? null : (last.processed() - first.processed()) * 1000.0 / millis;
  }
}
