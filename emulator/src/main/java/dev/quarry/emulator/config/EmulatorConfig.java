package dev.quarry.emulator.config;

import dev.quarry.emulator.model.ModelId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The whole emulator configuration: a default {@link ModelBehavior}, per-model overrides, an
 * optional seed that makes injected faults and latency reproducible, whether request bodies are
 * counted, and the access keys model requests must be signed with (none: signatures are not
 * checked). Immutable; replace it at runtime with {@code BedrockEmulator.configure(...)}.
 *
 * <p>Model keys are matched against a request's model id in this order: the id as requested, the
 * metered id (ARN reduced to model or profile id), the foundation model id (profile prefix
 * removed), then keys ending in {@code *} as prefixes of the metered and foundation ids (longest
 * wins).
 */
public final class EmulatorConfig {
  private static final EmulatorConfig DEFAULT = builder().build();

  private final ModelBehavior defaults;
  private final Map<String, ModelBehavior> models;
  private final Long seed;
  private final boolean countBodies;
  private final Map<String, String> credentials;

  private EmulatorConfig(Builder b) {
    this.defaults = Objects.requireNonNull(b.defaults, "defaults");
    this.models = Collections.unmodifiableMap(new LinkedHashMap<>(b.models));
    this.seed = b.seed;
    this.countBodies = b.countBodies;
    this.credentials = Map.copyOf(b.credentials);
  }

  /** No latency, no limits, no faults, bodies counted, signatures not checked. */
  public static EmulatorConfig defaults() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Reads a JSON config file (format in {@code conf/emulator.json} and the module README). */
  public static EmulatorConfig load(Path file) throws IOException {
    return EmulatorConfigReader.read(file);
  }

  /** Parses JSON config text. */
  public static EmulatorConfig parse(String json) {
    return EmulatorConfigReader.parse(json);
  }

  /** Behaviour for models that no entry in {@link #models()} matches. */
  public ModelBehavior defaultBehavior() {
    return defaults;
  }

  /** Per-model overrides, in the order given. */
  public Map<String, ModelBehavior> models() {
    return models;
  }

  /** Seed for reproducible fault and latency draws; empty means fresh randomness per request. */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /** Whether each distinct request body's invocation count is kept (for {@code timesSeen}). */
  public boolean countBodies() {
    return countBodies;
  }

  /**
   * Access key id to secret key of the keys model requests must carry a valid SigV4 signature of;
   * empty means requests are not authenticated at all.
   */
  public Map<String, String> credentials() {
    return credentials;
  }

  /** The behaviour that applies to {@code id}. */
  public ModelBehavior behaviorFor(ModelId id) {
    ModelBehavior exact = models.get(id.requested());
    if (exact == null) {
      exact = models.get(id.normalized());
    }
    if (exact == null) {
      exact = models.get(id.foundationModel());
    }
    if (exact != null) {
      return exact;
    }
    ModelBehavior best = defaults;
    int bestLength = -1;
    for (Map.Entry<String, ModelBehavior> entry : models.entrySet()) {
      String key = entry.getKey();
      if (!key.endsWith("*")) {
        continue;
      }
      String prefix = key.substring(0, key.length() - 1);
      boolean matches =
          id.normalized().startsWith(prefix) || id.foundationModel().startsWith(prefix);
      if (matches && prefix.length() > bestLength) {
        best = entry.getValue();
        bestLength = prefix.length();
      }
    }
    return best;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmulatorConfig that
        && defaults.equals(that.defaults)
        && models.equals(that.models)
        && Objects.equals(seed, that.seed)
        && countBodies == that.countBodies
        && credentials.equals(that.credentials);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaults, models, seed, countBodies, credentials);
  }

  @Override
  public String toString() {
    return "EmulatorConfig{defaults="
        + defaults
        + ", models="
        + models
        + ", seed="
        + seed
        + ", countBodies="
        + countBodies
        + ", credentials="
        + credentials.keySet()
        + "}";
  }

  /** Builder for {@link EmulatorConfig}. */
  public static final class Builder {
    private ModelBehavior defaults = ModelBehavior.defaults();
    private final Map<String, ModelBehavior> models = new LinkedHashMap<>();
    private Long seed;
    private boolean countBodies = true;
    private final Map<String, String> credentials = new LinkedHashMap<>();

    private Builder() {}

    private Builder(EmulatorConfig c) {
      this.defaults = c.defaults;
      this.models.putAll(c.models);
      this.seed = c.seed;
      this.countBodies = c.countBodies;
      this.credentials.putAll(c.credentials);
    }

    /** Behaviour of every model without its own entry. */
    public Builder defaultBehavior(ModelBehavior defaults) {
      this.defaults = Objects.requireNonNull(defaults, "defaults");
      return this;
    }

    /** Behaviour of the models matching {@code key} (an id, or a prefix ending in {@code *}). */
    public Builder model(String key, ModelBehavior behavior) {
      this.models.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(behavior, "behavior"));
      return this;
    }

    public Builder clearModels() {
      this.models.clear();
      return this;
    }

    /**
     * Makes fault and latency draws reproducible: the n-th attempt of a given body always draws the
     * same.
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder noSeed() {
      this.seed = null;
      return this;
    }

    public Builder countBodies(boolean countBodies) {
      this.countBodies = countBodies;
      return this;
    }

    /**
     * Requires model requests to be SigV4-signed (signing name {@code bedrock}) with this key, or
     * another.
     */
    public Builder credential(String accessKeyId, String secretAccessKey) {
      if (accessKeyId == null
          || accessKeyId.isEmpty()
          || secretAccessKey == null
          || secretAccessKey.isEmpty()) {
        throw new IllegalArgumentException(
            "an access key id and its secret must both be non-empty");
      }
      this.credentials.put(accessKeyId, secretAccessKey);
      return this;
    }

    /** Stops checking signatures. */
    public Builder clearCredentials() {
      this.credentials.clear();
      return this;
    }

    public EmulatorConfig build() {
      return new EmulatorConfig(this);
    }
  }
}
