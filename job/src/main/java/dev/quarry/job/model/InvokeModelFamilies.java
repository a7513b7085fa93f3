package dev.quarry.job.model;

import java.util.List;
import java.util.Optional;

/**
 * The model families whose InvokeModel request bodies Quarry sends, by foundation-model id prefix.
 * A batch record's {@code modelInput} is the family's native body and Quarry reads its token limits
 * and usage from it, so a family outside this list would only make a job whose every line is an
 * error. The list is configuration: a new Bedrock family is allowed by adding its prefix.
 *
 * @param prefixes foundation-model id prefixes, such as {@code anthropic.claude}
 */
public record InvokeModelFamilies(List<String> prefixes) {
  /** The families the job and the emulator know. */
  public static final InvokeModelFamilies DEFAULTS =
      new InvokeModelFamilies(
          List.of(
              "anthropic.claude",
              "amazon.nova-micro",
              "amazon.nova-lite",
              "amazon.nova-pro",
              "amazon.nova-premier",
              "amazon.nova-2-lite",
              "amazon.titan-text",
              "amazon.titan-embed-text",
              "meta.llama",
              "mistral."));

  public InvokeModelFamilies {
    prefixes = List.copyOf(prefixes);
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("at least one model family prefix is needed");
    }
    for (String p : prefixes) {
      if (p.isBlank() || !p.equals(p.strip())) {
        throw new IllegalArgumentException(
            "a model family prefix must be non-blank, without spaces: '" + p + "'");
      }
    }
  }

  /** Parses a comma-separated list of prefixes, as configuration holds it. */
  public static InvokeModelFamilies parse(String commaSeparated) {
    return new InvokeModelFamilies(List.of(commaSeparated.strip().split("\\s*,\\s*")));
  }

  /**
   * Whether a job on {@code modelId} can form its requests: its foundation model is in a listed
   * family, or the id hides its model (an application inference profile), which only Bedrock
   * resolves.
   */
  public boolean supports(String modelId) {
    Optional<String> model = FoundationModel.of(modelId);
    return model.isEmpty() || prefixes.stream().anyMatch(model.get()::startsWith);
  }

  @Override
  public String toString() {
    return String.join(", ", prefixes);
  }
}
