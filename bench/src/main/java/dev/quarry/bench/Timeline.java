package dev.quarry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records done over time in one scenario: the raw samples behind its throughput figure and its
 * plot.
 */
final class Timeline {
  /**
   * One observation: {@code done} records finished {@code seconds} after the scenario started, when
   * the side measured had spent {@code cpuSeconds} of CPU ({@link CpuClock}; NaN when not
   * measured), and each thread's CPU time then ({@code null} when not kept).
   */
  record Sample(double seconds, long done, double cpuSeconds, CpuClock.Reading threads) {}

  private final List<Sample> samples = new ArrayList<>();

  void add(double seconds, long done) {
    add(seconds, done, Double.NaN);
  }

  void add(double seconds, long done, double cpuSeconds) {
    samples.add(new Sample(seconds, done, cpuSeconds, null));
  }

  /** An observation with a {@link CpuClock} reading. */
  void add(double seconds, long done, CpuClock.Reading cpu) {
    samples.add(new Sample(seconds, done, cpu.seconds(), cpu));
  }

  /**
   * Where the CPU time went while the rate was sustained (the samples of {@link #steadyRate}): ms
   * per 1,000 records by thread group; empty when the samples carry no readings. Drops every
   * sample's per-thread reading afterwards (they are large), keeping the CPU seconds.
   */
  Map<String, Double> steadyCpuByThreadGroup(CpuClock clock, long total) {
    Sample low = firstReaching(Math.max(1, (long) Math.ceil(total * 0.1)));
    Sample high = firstReaching((long) Math.ceil(total * 0.9));
    Map<String, Double> out =
        low == null || high == null || low.threads() == null || high.threads() == null
            ? Map.of()
            : clock.byGroup(low.threads(), high.threads(), high.done() - low.done());
    samples.replaceAll(s -> new Sample(s.seconds(), s.done(), s.cpuSeconds(), null));
    return out;
  }

  /**
   * Where the CPU time went between the first samples at or after {@code fromSeconds} and {@code
   * toSeconds}: milliseconds per 1,000 {@code units} by thread group ({@link CpuClock#byGroup});
   * empty when those samples carry no readings or are the same one.
   */
  Map<String, Double> cpuByThreadGroupBetween(
      CpuClock clock, double fromSeconds, double toSeconds, long units) {
    Sample from = firstAtOrAfter(fromSeconds);
    Sample to = firstAtOrAfter(toSeconds);
    if (from == null
        || to == null
        || from == to
        || from.threads() == null
        || to.threads() == null) {
      return Map.of();
    }
    return clock.byGroup(from.threads(), to.threads(), units);
  }

  private Sample firstAtOrAfter(double seconds) {
    for (Sample s : samples) {
      if (s.seconds() >= seconds) {
        return s;
      }
    }
    return null;
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  /**
   * The sustained rate in records/s: the slope between the first samples at 10 % and at 90 % of
   * {@code total}, so neither start-up nor the tail counts. NaN when the samples do not reach both.
   */
  double steadyRate(long total) {
    Sample low = firstReaching(Math.max(1, (long) Math.ceil(total * 0.1)));
    Sample high = firstReaching((long) Math.ceil(total * 0.9));
    if (low == null || high == null || high.seconds() <= low.seconds()) {
      return Double.NaN;
    }
    return (high.done() - low.done()) / (high.seconds() - low.seconds());
  }

  /**
   * CPU milliseconds per 1,000 records while the rate was sustained: over the same samples as
   * {@link #steadyRate} (10 % to 90 % of {@code total}), so neither start-up nor the tail counts.
   * NaN when the samples carry no CPU time or do not reach both.
   */
  double steadyCpuMsPer1000(long total) {
    Sample low = firstReaching(Math.max(1, (long) Math.ceil(total * 0.1)));
    Sample high = firstReaching((long) Math.ceil(total * 0.9));
    if (low == null || high == null || high.done() <= low.done()) {
      return Double.NaN;
    }
    return (high.cpuSeconds() - low.cpuSeconds()) * 1e6 / (high.done() - low.done());
  }

  /**
   * CPU milliseconds per 1,000 records over the whole run (first to last sample, so start-up and
   * tail included), or NaN when the samples carry no CPU time.
   */
  double runCpuMsPer1000(long total) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    return (samples.get(samples.size() - 1).cpuSeconds() - samples.get(0).cpuSeconds())
        * 1e6
        / total;
  }

  /**
   * Records done at {@code seconds}, interpolated between the samples around it (0 before the
   * first).
   */
  double doneAt(double seconds) {
    Sample before = null;
    for (Sample s : samples) {
      if (s.seconds() >= seconds) {
        if (before == null) {
          return s.seconds() == seconds ? s.done() : 0;
        }
        double f = (seconds - before.seconds()) / (s.seconds() - before.seconds());
        return before.done() + f * (s.done() - before.done());
      }
      before = s;
    }
    return before == null ? 0 : before.done();
  }

  /** The first time at least {@code done} records were finished, or NaN. */
  double secondsToReach(long done) {
    Sample s = firstReaching(done);
    return s == null ? Double.NaN : s.seconds();
  }

  private Sample firstReaching(long done) {
    for (Sample s : samples) {
      if (s.done() >= done) {
        return s;
      }
    }
    return null;
  }

  /**
   * Throughput over time: records/s over each window of {@code windowSeconds}, as (end of window,
   * rate).
   */
  List<double[]> throughput(double windowSeconds) {
    List<double[]> out = new ArrayList<>();
    if (samples.isEmpty()) {
      return out;
    }
    int from = 0;
    double end = samples.get(0).seconds() + windowSeconds;
    Sample last = samples.get(samples.size() - 1);
    while (end <= last.seconds() + windowSeconds) {
      Sample start = samples.get(from);
      int to = from;
      while (to + 1 < samples.size() && samples.get(to + 1).seconds() <= end) {
        to++;
      }
      Sample stop = samples.get(to);
      double span = stop.seconds() - start.seconds();
      out.add(new double[] {end, span > 0 ? (stop.done() - start.done()) / span : 0});
      from = to;
      end += windowSeconds;
    }
    return out;
  }
}
