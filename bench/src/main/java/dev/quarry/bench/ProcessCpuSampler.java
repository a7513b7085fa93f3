package dev.quarry.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * This JVM's CPU time sampled every {@link #PERIOD_MILLIS} while a job runs, so that a job's CPU
 * can be split by phase (validation, Flink start, run, finalize) after the fact, when the phase
 * boundaries are known.
 */
final class ProcessCpuSampler implements AutoCloseable {
  private static final long PERIOD_MILLIS = 20;
  private static final OperatingSystemMXBean PROCESS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final long startNanos = System.nanoTime();
  private final List<long[]> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private ProcessCpuSampler() {
    sample();
    thread = new Thread(this::run, "bench-cpu-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts sampling now; times passed to {@link #cpuSecondsBetween} count from here. */
  static ProcessCpuSampler start() {
    return new ProcessCpuSampler();
  }

  private void run() {
    while (running) {
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      sample();
    }
  }

  private synchronized void sample() {
    samples.add(new long[] {System.nanoTime() - startNanos, PROCESS.getProcessCpuTime()});
  }

  /** CPU seconds of this JVM between two times, in seconds after the start (nearest samples). */
  synchronized double cpuSecondsBetween(double fromSeconds, double toSeconds) {
    return (cpuAt(toSeconds) - cpuAt(fromSeconds)) / 1e9;
  }

  private long cpuAt(double seconds) {
    long nanos = (long) (seconds * 1e9);
    long[] best = samples.get(0);
    for (long[] s : samples) {
      if (Math.abs(s[0] - nanos) < Math.abs(best[0] - nanos)) {
        best = s;
      }
    }
    return best[1];
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    sample();
  }
}
