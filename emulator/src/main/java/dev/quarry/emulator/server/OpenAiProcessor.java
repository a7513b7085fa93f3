package dev.quarry.emulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.behavior.Directive;
import dev.quarry.emulator.behavior.Fault;
import dev.quarry.emulator.family.ModelRequest;
import dev.quarry.emulator.model.ModelId;
import dev.quarry.emulator.openai.ChatCompletionsApi;
import dev.quarry.emulator.openai.EmbeddingsApi;
import dev.quarry.emulator.openai.OpenAiWire;
import dev.quarry.emulator.stats.BodyDigest;
import dev.quarry.emulator.stats.ModelCounters;
import dev.quarry.emulator.wire.ServiceError;
import java.util.Optional;

/**
 * Answers OpenAI's {@code /v1/chat/completions} and {@code /v1/embeddings} through the same
 * pipeline as the Bedrock operations ({@link InvocationProcessor#answer}): the body's {@code model}
 * is the model id that behaviour (latency, limits, faults) is configured and stats are kept under,
 * and directives work as in Bedrock bodies.
 */
final class OpenAiProcessor {
  /** Stats key of requests whose body names no model. */
  static final String NO_MODEL = "(no model)";

  private final EmulatorState state;
  private final InvocationProcessor pipeline;

  OpenAiProcessor(EmulatorState state, InvocationProcessor pipeline) {
    this.state = state;
    this.pipeline = pipeline;
  }

  Reply chatCompletions(byte[] body) {
    return answer(body, false);
  }

  Reply embeddings(byte[] body) {
    return answer(body, true);
  }

  private Reply answer(byte[] body, boolean embeddings) {
    JsonNode json;
    String model;
    try {
      json = InvocationProcessor.parseJson(body);
      model = ChatCompletionsApi.model(json);
    } catch (ServiceError e) {
      ModelCounters counters = state.stats().model(NO_MODEL);
      counters.request();
      counters.validationError();
      return OpenAiWire.INSTANCE.error(e);
    }
    ModelCounters counters = state.stats().model(model);
    counters.request();
    BodyDigest digest = BodyDigest.of(body);
    long attempt = pipeline.attempt(digest);
    ModelRequest request;
    Optional<Fault> directed;
    try {
      request = embeddings ? EmbeddingsApi.parse(json) : ChatCompletionsApi.parse(json);
      directed = Directive.find(body);
    } catch (ServiceError e) {
      counters.validationError();
      return OpenAiWire.INSTANCE.error(e);
    }
    return pipeline.answer(
        ModelId.parse(model), request, directed, digest, attempt, counters, OpenAiWire.INSTANCE);
  }
}
