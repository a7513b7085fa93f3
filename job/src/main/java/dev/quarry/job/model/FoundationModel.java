package dev.quarry.job.model;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The foundation model behind a Bedrock model id: a bare id as it is, a foundation-model or
 * inference-profile ARN reduced to its id, a custom-model ARN to its base model, and a cross-region
 * profile's geography prefix ({@code us.}, {@code eu.}, …) removed.
 */
public final class FoundationModel {
  // Geography prefixes of system-defined cross-region inference profiles ("us.anthropic.claude-…").
  private static final Set<String> PROFILE_PREFIXES =
      Set.of("us", "us-gov", "eu", "apac", "global", "jp", "au", "ca", "ap");

  private FoundationModel() {}

  /**
   * The foundation model id, or empty when the id does not show it (an application inference
   * profile, an imported or provisioned model: opaque ids only Bedrock can resolve).
   */
  public static Optional<String> of(String modelId) {
    String id = modelId;
    if (modelId.startsWith("arn:")) {
      id = resourceOfArn(modelId);
      if (id == null) {
        return Optional.empty();
      }
    }
    return Optional.of(stripProfilePrefix(id));
  }

  private static String resourceOfArn(String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length < 6 || !parts[2].equals("bedrock")) {
      return null;
    }
    String resource = parts[5];
    int slash = resource.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String rest = resource.substring(slash + 1);
    return switch (resource.substring(0, slash)) {
      case "foundation-model", "inference-profile" -> rest;
      // custom-model/<base model id>/<12-character id>
      case "custom-model" ->
          rest.lastIndexOf('/') > 0 ? rest.substring(0, rest.lastIndexOf('/')) : null;
      default -> null;
    };
  }

  private static String stripProfilePrefix(String id) {
    int dot = id.indexOf('.');
    if (dot <= 0 || id.indexOf('.', dot + 1) < 0) {
      return id;
    }
    String prefix = id.substring(0, dot).toLowerCase(Locale.ROOT);
    return PROFILE_PREFIXES.contains(prefix) ? id.substring(dot + 1) : id;
  }
}
