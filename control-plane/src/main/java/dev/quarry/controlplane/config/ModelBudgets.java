package dev.quarry.controlplane.config;

import dev.quarry.controlplane.config.ControlPlaneConfig.ModelLimits;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Each model's own budget ({@code quarry.model.<model id>.requests-per-minute}, {@code
 * .tokens-per-minute}, {@code .max-share}), from the file or the environment.
 *
 * <p>Model ids hold characters no variable name may ({@code :}, {@code .}, {@code -}), so a
 * variable names its model by the id in capitals with every other character as {@code _}: {@code
 * QUARRY_MODEL_ANTHROPIC_CLAUDE_3_HAIKU_20240307_V1_0_REQUESTS_PER_MINUTE=1000}. A variable wins
 * over the file, setting by setting.
 *
 * @param byModelId budgets by exact model id (the file's, with the environment's laid over)
 * @param byEnvName budgets set only in the environment, by the model's variable name part
 */
public record ModelBudgets(Map<String, ModelLimits> byModelId, Map<String, ModelLimits> byEnvName) {
  static final String FILE_PREFIX = "quarry.model.";
  static final String ENV_PREFIX = "QUARRY_MODEL_";
  private static final String[] SETTINGS = {
    "requests-per-minute", "tokens-per-minute", "max-share"
  };

  public ModelBudgets {
    byModelId = Map.copyOf(byModelId);
    byEnvName = Map.copyOf(byEnvName);
  }

  /** The budget of {@code modelId}, if it has one of its own. */
  public Optional<ModelLimits> forModel(String modelId) {
    ModelLimits own = byModelId.get(modelId);
    return Optional.ofNullable(own != null ? own : byEnvName.get(envName(modelId)));
  }

  /**
   * How a variable names {@code modelId}: capitals, every character other than a letter or digit as
   * {@code _}.
   */
  public static String envName(String modelId) {
    return modelId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * Reads every {@code quarry.model.*} setting of the file and every {@code QUARRY_MODEL_*}
   * variable.
   */
  static ModelBudgets from(ConfigSource source) {
    Map<String, Map<String, String>> file = new HashMap<>();
    source
        .withPrefix(FILE_PREFIX)
        .forEach(
            (rest, value) -> {
              for (String setting : SETTINGS) {
                if (rest.endsWith("." + setting)) {
                  file.computeIfAbsent(
                          rest.substring(0, rest.length() - setting.length() - 1),
                          m -> new HashMap<>())
                      .put(setting, value);
                }
              }
            });
    Map<String, Map<String, String>> env = new HashMap<>();
    source
        .envWithPrefix(ENV_PREFIX)
        .forEach(
            (rest, value) -> {
              for (String setting : SETTINGS) {
                String suffix = "_" + ConfigSource.envName(setting);
                if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                  env.computeIfAbsent(
                          rest.substring(0, rest.length() - suffix.length()), m -> new HashMap<>())
                      .put(setting, value);
                }
              }
            });
    Map<String, ModelLimits> byId = new HashMap<>();
    file.forEach(
        (model, settings) -> {
          Map<String, String> merged = new HashMap<>(settings);
          Map<String, String> fromEnv = env.get(envName(model));
          if (fromEnv != null) {
            merged.putAll(fromEnv);
          }
          byId.put(model, limits(model, merged));
        });
    Map<String, ModelLimits> byEnv = new HashMap<>();
    env.forEach((name, settings) -> byEnv.put(name, limits(ENV_PREFIX + name, settings)));
    return new ModelBudgets(byId, byEnv);
  }

  private static ModelLimits limits(String model, Map<String, String> settings) {
    try {
      return new ModelLimits(
          Integer.parseInt(settings.getOrDefault("requests-per-minute", "0").replace("_", "")),
          Long.parseLong(settings.getOrDefault("tokens-per-minute", "0").replace("_", "")),
          Double.parseDouble(settings.getOrDefault("max-share", "1.0")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "The budget of model " + model + " must be numbers, was " + settings, e);
    }
  }
}
