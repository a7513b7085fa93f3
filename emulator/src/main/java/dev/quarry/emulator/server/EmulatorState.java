package dev.quarry.emulator.server;

import dev.quarry.emulator.behavior.LiveBehavior;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.stats.StatsRecorder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything a running emulator remembers: the behaviour in force and the counters. Shared by all
 * connections.
 */
public final class EmulatorState {
  private final AtomicReference<LiveBehavior> live;
  private final StatsRecorder stats = new StatsRecorder();

  public EmulatorState(EmulatorConfig config) {
    this.live = new AtomicReference<>(new LiveBehavior(Objects.requireNonNull(config, "config")));
  }

  /** The behaviour in force. */
  public LiveBehavior live() {
    return live.get();
  }

  public StatsRecorder stats() {
    return stats;
  }

  /**
   * Replaces the configuration; quota buckets start afresh (full) under the new limits, counters
   * are kept.
   */
  public void configure(EmulatorConfig config) {
    live.set(new LiveBehavior(Objects.requireNonNull(config, "config")));
  }

  /** Clears the counters and refills every quota bucket; the configuration stays. */
  public void reset() {
    stats.clear();
    live.set(new LiveBehavior(live.get().config()));
  }
}
