package dev.quarry.emulator.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** Collects what the emulator served, per requested model id and per distinct request body. */
public final class StatsRecorder {
  private final ConcurrentMap<String, ModelCounters> models = new ConcurrentHashMap<>();
  // AtomicLong rather than LongAdder: seeded draws need the attempt number each increment returns.
  private final ConcurrentMap<String, AtomicLong> bodies = new ConcurrentHashMap<>();
  private final AtomicLong uncountedBodies = new AtomicLong();

  /** The counters of {@code requestedModelId}, created on first use. */
  public ModelCounters model(String requestedModelId) {
    ModelCounters counters = models.get(requestedModelId);
    return counters != null
        ? counters
        : models.computeIfAbsent(requestedModelId, k -> new ModelCounters());
  }

  /**
   * Counts one sighting of a body and returns how many times it has now been seen (1 the first
   * time).
   */
  public long recordBody(BodyDigest digest) {
    AtomicLong count = bodies.get(digest.hex());
    if (count == null) {
      count = bodies.computeIfAbsent(digest.hex(), k -> new AtomicLong());
    }
    return count.incrementAndGet();
  }

  /** A running number for requests whose bodies are not counted (body counting off). */
  public long nextUncounted() {
    return uncountedBodies.incrementAndGet();
  }

  /** An immutable copy of the counts; body counts only when asked, since they can be many. */
  public StatsSnapshot snapshot(boolean includeBodies) {
    Map<String, ModelStats> perModel = new TreeMap<>();
    models.forEach((id, counters) -> perModel.put(id, counters.snapshot()));
    Map<String, Long> perBody = null;
    if (includeBodies) {
      perBody = new TreeMap<>();
      for (Map.Entry<String, AtomicLong> e : bodies.entrySet()) {
        perBody.put(e.getKey(), e.getValue().get());
      }
    }
    return new StatsSnapshot(perModel, perBody);
  }

  /** How many times the body with this SHA-256 hex has been seen. */
  public long timesSeen(String digestHex) {
    AtomicLong count = bodies.get(digestHex);
    return count == null ? 0 : count.get();
  }

  /** Forgets everything. */
  public void clear() {
    models.clear();
    bodies.clear();
    uncountedBodies.set(0);
  }
}
