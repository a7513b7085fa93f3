package dev.quarry.job.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where an API key is found, never the key itself: {@code env:NAME} (an environment variable of the process that
 * calls the model) or {@code file:/absolute/path} (a file holding the key, such as a mounted Kubernetes Secret).
 * The key is read where the calls are made, on the TaskManager, so it appears in no configuration file, job
 * argument or job graph.
 *
 * @param reference {@code env:NAME} or {@code file:/path}
 */
public record ApiKeyReference(@JsonValue String reference) implements Serializable {
  private static final String ENV = "env:";
  private static final String FILE = "file:";

  public ApiKeyReference {
    Objects.requireNonNull(reference, "reference");
    if (reference.startsWith(ENV)) {
      if (!reference.substring(ENV.length()).matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("env: must name an environment variable, was '" + reference + "'");
      }
    } else if (reference.startsWith(FILE)) {
      if (!Path.of(reference.substring(FILE.length())).isAbsolute()) {
        throw new IllegalArgumentException("file: must give an absolute path, was '" + reference + "'");
      }
    } else {
      throw new IllegalArgumentException(
          "an API key is given as env:NAME or file:/path (never the key itself), was '" + redacted(reference) + "'");
    }
  }

  /** Parses the configured form. */
  @JsonCreator
  public static ApiKeyReference of(String reference) {
    return new ApiKeyReference(reference);
  }

  /** The key, read now from the process environment or the file. */
  public String resolve() {
    return resolve(System.getenv());
  }

  /** The key, with {@code env} standing for the process environment; trailing whitespace of a file dropped. */
  public String resolve(Map<String, String> env) {
    if (reference.startsWith(ENV)) {
      String name = reference.substring(ENV.length());
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        throw new IllegalStateException("API key environment variable " + name + " is not set on this machine");
      }
      return value.strip();
    }
    Path file = Path.of(reference.substring(FILE.length()));
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new IllegalStateException("API key file " + file + " is empty");
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("API key file " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  // A key pasted where a reference belongs must not end up in a log through this message.
  private static String redacted(String value) {
    return value.length() <= 4 ? "****" : value.substring(0, 2) + "…(" + value.length() + " characters)";
  }

  @Override
  public String toString() {
    return reference;
  }
}
