package dev.quarry.controlplane.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Raw settings, by precedence: environment variable ({@code quarry.api.port} → {@code
 * QUARRY_API_PORT}), then the properties file, then the documented default.
 */
public final class ConfigSource {
  private final Map<String, String> file;
  private final Map<String, String> env;

  public ConfigSource(Map<String, String> file, Map<String, String> env) {
    this.file = Map.copyOf(file);
    this.env = Map.copyOf(env);
  }

  /** Reads {@code file} if it exists, plus the process environment. */
  public static ConfigSource load(Path file) throws IOException {
    Map<String, String> values = new HashMap<>();
    if (file != null && Files.exists(file)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
    }
    return new ConfigSource(values, System.getenv());
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String string(String key, String defaultValue) {
    String fromEnv = env.get(envName(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    String fromFile = file.get(key);
    if (fromFile != null && !fromFile.isBlank()) {
      return fromFile;
    }
    return defaultValue;
  }

  public int integer(String key, int defaultValue) {
    return (int) number(key, defaultValue);
  }

  public long number(String key, long defaultValue) {
    String value = string(key, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Setting " + key + " (or " + envName(key) + ") must be a number, was " + value);
    }
  }

  public double decimal(String key, double defaultValue) {
    String value = string(key, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Setting " + key + " (or " + envName(key) + ") must be a number, was " + value);
    }
  }

  public boolean bool(String key, boolean defaultValue) {
    String value = string(key, null);
    if (value == null) {
      return defaultValue;
    }
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("Setting " + key + " must be true or false, was " + value);
    }
    return Boolean.parseBoolean(value);
  }

  /**
   * Every environment variable whose name starts with {@code prefix}, keyed by the rest of the
   * name.
   */
  public Map<String, String> envWithPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && v != null && !v.isBlank()) {
            out.put(k.substring(prefix.length()), v.trim());
          }
        });
    return out;
  }

  /**
   * Every file setting under {@code prefix}, keyed by the rest of the name (e.g. per-model limits).
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    file.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }
}
