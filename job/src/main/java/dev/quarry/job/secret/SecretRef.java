package dev.quarry.job.secret;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a secret is, never the secret: what a job spec carries instead of a password or key, so
 * nothing secret travels in Flink's program arguments, job graph or REST API. The process that
 * needs the value (a TaskManager, or the control plane's own MiniCluster) reads it when it needs
 * it.
 *
 * <ul>
 *   <li>{@code env:NAME}: the environment variable {@code NAME} of the process that resolves it (a
 *       TaskManager's environment, e.g. from a Kubernetes Secret);
 *   <li>{@code file:/absolute/path}: the file's content without its final line break (a mounted
 *       Secret);
 *   <li>{@code jvm:<id>}: a value registered in this JVM with {@link #inProcess}; only the control
 *       plane's embedded MiniCluster, which runs in the same JVM, can resolve it.
 * </ul>
 *
 * @param reference the reference, e.g. {@code env:QUARRY_BEDROCK_SECRET_ACCESS_KEY}
 */
public record SecretRef(String reference) implements Serializable {
  private static final String ENV = "env:";
  private static final String FILE = "file:";
  private static final String JVM = "jvm:";

  public SecretRef {
    Objects.requireNonNull(reference, "reference");
    if (reference.startsWith(ENV)) {
      if (!reference.substring(ENV.length()).matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "env: must name an environment variable, was " + reference);
      }
    } else if (reference.startsWith(FILE)) {
      if (!Path.of(reference.substring(FILE.length())).isAbsolute()) {
        throw new IllegalArgumentException("file: must name an absolute path, was " + reference);
      }
    } else if (!reference.startsWith(JVM) || reference.length() == JVM.length()) {
      // Deliberately not echoed: a value put here by mistake may be the secret itself.
      throw new IllegalArgumentException(
          "a secret reference is env:NAME, file:/path or jvm:<id>; the value given "
              + "is none of these (secrets themselves are never accepted here)");
    }
  }

  /** Parses {@code env:…}, {@code file:…} or {@code jvm:…}; this is also the JSON form. */
  @JsonCreator
  public static SecretRef parse(String reference) {
    return new SecretRef(reference);
  }

  /**
   * {@code value} kept in this JVM's memory under a random id: for jobs on the embedded MiniCluster
   * only.
   */
  public static SecretRef inProcess(String value) {
    return new SecretRef(JVM + InProcessSecrets.register(value));
  }

  @JsonValue
  @Override
  public String reference() {
    return reference;
  }

  /** Whether only this JVM can resolve it, so a remote cluster cannot be given it. */
  public boolean isInProcess() {
    return reference.startsWith(JVM);
  }

  /**
   * Reads the secret in this process.
   *
   * @throws IllegalStateException naming the reference (never the value) when it cannot be read
   *     here
   */
  public String resolve() {
    if (reference.startsWith(ENV)) {
      String value = System.getenv(reference.substring(ENV.length()));
      if (value == null) {
        throw new IllegalStateException(
            "secret " + reference + ": the environment variable is not set in this process");
      }
      return value;
    }
    if (reference.startsWith(FILE)) {
      Path file = Path.of(reference.substring(FILE.length()));
      try {
        String value = Files.readString(file, StandardCharsets.UTF_8);
        // Files written with echo end in a line break; Kubernetes Secrets do not. Neither is part
        // of a secret.
        return value.endsWith("\r\n")
            ? value.substring(0, value.length() - 2)
            : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      } catch (IOException e) {
        throw new IllegalStateException(
            "secret " + reference + ": cannot read the file (" + e.getClass().getSimpleName() + ")",
            e);
      }
    }
    return InProcessSecrets.lookup(reference.substring(JVM.length()))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "secret "
                        + reference
                        + " exists only in the control plane's JVM; a job on another cluster needs an env: or "
                        + "file: reference"));
  }

  @Override
  public String toString() {
    return reference;
  }
}
