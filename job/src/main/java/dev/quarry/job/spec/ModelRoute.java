package dev.quarry.job.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.job.secret.SecretRef;
import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * Where a job's model calls go, as the control plane's model catalog resolved it: Bedrock (the
 * default), or an OpenAI-compatible server, to which each record's Bedrock-format {@code
 * modelInput} is translated.
 *
 * @param provider who answers
 * @param name the catalog entry's name, for messages; {@code null} for the default Bedrock route
 * @param baseUrl the server's base URL including its version path ({@code http://vllm:8000/v1});
 *     openai-compatible only
 * @param upstreamModel the model name the server knows, or {@code null} for the job's model id
 * @param apiKey where the server's API key is read, or {@code null} when the server wants none
 * @param invokeFamily for InvokeModel jobs, the foundation-model id prefix whose bodies the records
 *     hold ({@code meta.llama}), or {@code null} to read it from the job's model id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelRoute(
    ModelProvider provider,
    String name,
    String baseUrl,
    String upstreamModel,
    SecretRef apiKey,
    String invokeFamily)
    implements Serializable {
  private static final ModelRoute BEDROCK =
      new ModelRoute(ModelProvider.BEDROCK, null, null, null, null, null);

  public ModelRoute {
    Objects.requireNonNull(provider, "provider");
    if (provider == ModelProvider.OPENAI_COMPATIBLE) {
      Objects.requireNonNull(baseUrl, "baseUrl of an openai-compatible route");
      URI uri = URI.create(baseUrl);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an http(s) URL such as http://host:8000/v1, was " + baseUrl);
      }
    } else if (baseUrl != null || upstreamModel != null || apiKey != null) {
      throw new IllegalArgumentException(
          "a bedrock route takes no baseUrl, upstreamModel or apiKey");
    }
    if (upstreamModel != null && upstreamModel.isBlank()) {
      upstreamModel = null;
    }
  }

  /** Bedrock Runtime, as configured by the job's {@link BedrockEndpoint}. */
  public static ModelRoute bedrock() {
    return BEDROCK;
  }

  /** An OpenAI-compatible server. */
  public static ModelRoute openAiCompatible(
      String name, String baseUrl, String upstreamModel, SecretRef apiKey, String invokeFamily) {
    return new ModelRoute(
        ModelProvider.OPENAI_COMPATIBLE, name, baseUrl, upstreamModel, apiKey, invokeFamily);
  }

  /** The model name sent upstream for a job on {@code modelId}. */
  public String upstreamModelFor(String modelId) {
    return upstreamModel != null ? upstreamModel : modelId;
  }

  /** Whether calls go to Bedrock Runtime. */
  @JsonIgnore
  public boolean isBedrock() {
    return provider == ModelProvider.BEDROCK;
  }
}
