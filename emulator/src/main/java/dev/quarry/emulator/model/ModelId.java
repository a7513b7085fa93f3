package dev.quarry.emulator.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A model identifier as sent in {@code /model/{modelId}/…}, already percent-decoded, understood in
 * its three layers: what the client asked for, the id Bedrock meters it under (an ARN reduced to
 * its model or inference profile), and the underlying foundation model (a cross-region profile
 * prefix removed), which decides the family.
 */
public final class ModelId {
  // Geography prefixes of system-defined cross-region inference profiles ("us.anthropic.claude-…").
  private static final Set<String> PROFILE_PREFIXES =
      Set.of("us", "us-gov", "eu", "apac", "global", "jp", "au", "ca", "ap");

  private final String requested;
  private final String normalized;
  private final String foundationModel;

  private ModelId(String requested, String normalized, String foundationModel) {
    this.requested = requested;
    this.normalized = normalized;
    this.foundationModel = foundationModel;
  }

  /** Parses a decoded model id; never fails, an id of no known form simply maps to no family. */
  public static ModelId parse(String requested) {
    Objects.requireNonNull(requested, "requested");
    String normalized = requested;
    if (requested.startsWith("arn:")) {
      normalized = resourceOfArn(requested);
    }
    return new ModelId(requested, normalized, stripProfilePrefix(normalized));
  }

  // arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-…  ->  anthropic.claude-…
  // arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-…  ->
  // us.anthropic.claude-…
  // arn:aws:bedrock:us-east-1:123456789012:custom-model/anthropic.claude-v2:1:200k/abcdef123456  ->
  //  base model
  private static String resourceOfArn(String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length < 6 || !parts[2].equals("bedrock")) {
      return arn;
    }
    String resource = parts[5];
    int slash = resource.indexOf('/');
    if (slash < 0) {
      return arn;
    }
    String type = resource.substring(0, slash);
    String rest = resource.substring(slash + 1);
    switch (type) {
      case "foundation-model":
      case "inference-profile":
        return rest;
      case "custom-model":
        int end = rest.lastIndexOf('/');
        return end > 0 ? rest.substring(0, end) : rest;
      default:
        // application-inference-profile, provisioned-model, imported-model…: opaque ids, no family
        // visible.
        return arn;
    }
  }

  private static String stripProfilePrefix(String id) {
    int dot = id.indexOf('.');
    if (dot <= 0 || id.indexOf('.', dot + 1) < 0) {
      return id;
    }
    String prefix = id.substring(0, dot).toLowerCase(Locale.ROOT);
    return PROFILE_PREFIXES.contains(prefix) ? id.substring(dot + 1) : id;
  }

  /** The id exactly as the client sent it (decoded); stats are keyed by this. */
  public String requested() {
    return requested;
  }

  /**
   * The id Bedrock meters quotas under: a foundation-model ARN becomes the bare model id, an
   * inference-profile ARN becomes the profile id; bare ids stay as they are.
   */
  public String normalized() {
    return normalized;
  }

  /** The foundation model behind the id, with any cross-region profile prefix removed. */
  public String foundationModel() {
    return foundationModel;
  }

  /** The family that serves this model, if the id names one the emulator knows. */
  public Optional<ModelFamilyKind> family() {
    return ModelFamilyKind.of(foundationModel);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelId that && requested.equals(that.requested);
  }

  @Override
  public int hashCode() {
    return requested.hashCode();
  }

  @Override
  public String toString() {
    return requested;
  }
}
