package dev.quarry.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Records done over time in one scenario: the raw samples behind its throughput figure and its
 * plot.
 */
final class Timeline {
  /** One observation: {@code done} records finished {@code seconds} after the scenario started. */
  record Sample(double seconds, long done) {}

  private final List<Sample> samples = new ArrayList<>();

  void add(double seconds, long done) {
    samples.add(new Sample(seconds, done));
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
