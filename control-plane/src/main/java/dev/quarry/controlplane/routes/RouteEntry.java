package dev.quarry.controlplane.routes;

import dev.quarry.job.model.InvokeBodyFamily;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.ModelProvider;
import dev.quarry.job.spec.ModelRoute;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the model catalog ({@code quarry.route.<name>.*}): which model ids it takes, who
 * answers them, and the budgets its jobs run with.
 *
 * @param name the entry's name in the configuration
 * @param models model ids, each exact or a prefix ending in {@code *} ({@code *} alone takes every
 *     model)
 * @param provider bedrock or openai-compatible
 * @param baseUrl the server's base URL with its version path (openai-compatible)
 * @param apiKey where the server's key is read on the machines that call it, or {@code null} for
 *     none
 * @param upstreamModel the model name the server knows; {@code *} for the part of the job's model
 *     id after the matching prefix ({@code ollama.*} sends {@code ollama.llama3.1:8b} as {@code
 *     llama3.1:8b}); {@code null} to send the job's model id
 * @param invokeFamily the family whose InvokeModel bodies the jobs hold, or {@code null} to read it
 *     from the model id
 * @param budgets the route's own budgets over the job defaults
 */
public record RouteEntry(
    String name,
    List<String> models,
    ModelProvider provider,
    String baseUrl,
    SecretRef apiKey,
    String upstreamModel,
    String invokeFamily,
    RouteBudgets budgets) {

  public RouteEntry {
    Objects.requireNonNull(name, "name");
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException(
          "quarry.route." + name + ".models must name at least one model id");
    }
    for (String m : models) {
      if (m.isBlank() || m.indexOf('*') >= 0 && m.indexOf('*') != m.length() - 1) {
        throw new IllegalArgumentException(
            "quarry.route."
                + name
                + ".models: '"
                + m
                + "' must be a model id or a prefix ending in *");
      }
    }
    Objects.requireNonNull(provider, "provider");
    if (invokeFamily != null && InvokeBodyFamily.of(invokeFamily).isEmpty()) {
      throw new IllegalArgumentException(
          "quarry.route."
              + name
              + ".invoke-family must be one of "
              + InvokeBodyFamily.names()
              + ", was "
              + invokeFamily);
    }
    Objects.requireNonNull(budgets, "budgets");
    // Fails now, at start-up, rather than when a job is launched.
    route(name, provider, baseUrl, upstreamModel, apiKey, invokeFamily);
  }

  /** The route a job on {@code modelId} carries. */
  public ModelRoute toModelRoute(String modelId) {
    return route(name, provider, baseUrl, upstreamModelFor(modelId), apiKey, invokeFamily);
  }

  /** The model name the server gets for {@code modelId}, or {@code null} for the id itself. */
  String upstreamModelFor(String modelId) {
    if (!"*".equals(upstreamModel)) {
      return upstreamModel;
    }
    String longest = "";
    for (String pattern : models) {
      String prefix = pattern.substring(0, pattern.length() - 1);
      if (pattern.endsWith("*")
          && modelId.startsWith(prefix)
          && prefix.length() > longest.length()) {
        longest = prefix;
      }
    }
    return modelId.substring(longest.length());
  }

  private static ModelRoute route(
      String name,
      ModelProvider provider,
      String baseUrl,
      String upstreamModel,
      SecretRef apiKey,
      String invokeFamily) {
    if (provider == ModelProvider.BEDROCK) {
      if (baseUrl != null || upstreamModel != null || apiKey != null) {
        throw new IllegalArgumentException(
            "a bedrock route takes no base-url, upstream-model or api-key");
      }
      return ModelRoute.bedrock();
    }
    return ModelRoute.openAiCompatible(name, baseUrl, upstreamModel, apiKey, invokeFamily);
  }

  /** {@code base} with this route's budgets where it sets them. */
  public InvokeLimits limits(InvokeLimits base) {
    InvokeLimits.Builder b = base.toBuilder();
    if (budgets.requestsPerMinute() != null) {
      b.requestsPerMinute(budgets.requestsPerMinute());
    }
    if (budgets.tokensPerMinute() != null) {
      b.tokensPerMinute(budgets.tokensPerMinute());
    }
    if (budgets.maxConcurrency() != null) {
      b.maxConcurrency(budgets.maxConcurrency());
    }
    return b.build();
  }

  /**
   * Whether an InvokeModel job on {@code modelId} can be translated for this route: Bedrock takes
   * any model the families allow; an OpenAI-compatible route needs a body family Quarry translates.
   */
  boolean translatesInvokeModel(String modelId) {
    return provider == ModelProvider.BEDROCK
        || invokeFamily != null
        || InvokeBodyFamily.of(modelId).isPresent();
  }
}
