package dev.quarry.emulator.behavior;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.model.ModelId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The configuration in force together with the state it implies (the quota buckets per metered
 * model). Replaced as a whole when the configuration changes or is reset, so buckets never outlive
 * the limits they were built for.
 */
public final class LiveBehavior {
  private final EmulatorConfig config;
  private final ConcurrentMap<String, ModelBehavior> behaviorByRequestedId =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ModelQuota> quotaByMeteredId = new ConcurrentHashMap<>();

  public LiveBehavior(EmulatorConfig config) {
    this.config = config;
  }

  public EmulatorConfig config() {
    return config;
  }

  /**
   * The behaviour for {@code id}; resolved once per distinct id since key matching scans wildcard
   * entries.
   */
  public ModelBehavior behaviorFor(ModelId id) {
    ModelBehavior cached = behaviorByRequestedId.get(id.requested());
    if (cached != null) {
      return cached;
    }
    return behaviorByRequestedId.computeIfAbsent(id.requested(), k -> config.behaviorFor(id));
  }

  /**
   * The quota of the metered id, or null when the behaviour has no limits. Keyed by the metered id
   * (ARN and bare id share; a cross-region profile has its own), as Bedrock meters quotas.
   */
  public ModelQuota quotaFor(ModelId id, ModelBehavior behavior) {
    if (behavior.limits().isUnlimited()) {
      return null;
    }
    ModelQuota quota = quotaByMeteredId.get(id.normalized());
    if (quota != null) {
      return quota;
    }
    return quotaByMeteredId.computeIfAbsent(
        id.normalized(), k -> new ModelQuota(behavior.limits(), System.nanoTime()));
  }
}
