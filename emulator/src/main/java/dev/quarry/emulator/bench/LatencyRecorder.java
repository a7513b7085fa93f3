package dev.quarry.emulator.bench;

import java.util.Arrays;

/**
 * Latencies of one closed-loop client lane, in microseconds. A lane has one request outstanding at
 * a time (or a fixed pipeline handled on one event loop), so it needs no synchronization; lanes are
 * merged at the end.
 */
final class LatencyRecorder {
  private long[] micros = new long[4096];
  private int count;

  void record(long nanos) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, micros.length * 2);
    }
    micros[count++] = nanos / 1000;
  }

  int count() {
    return count;
  }

  /** All lanes' samples, sorted. */
  static long[] mergeSorted(Iterable<LatencyRecorder> lanes) {
    int total = 0;
    for (LatencyRecorder lane : lanes) {
      total += lane.count;
    }
    long[] all = new long[total];
    int at = 0;
    for (LatencyRecorder lane : lanes) {
      System.arraycopy(lane.micros, 0, all, at, lane.count);
      at += lane.count;
    }
    Arrays.sort(all);
    return all;
  }
}
