package dev.quarry.emulator.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quarry.emulator.behavior.Directive;
import dev.quarry.emulator.behavior.Fault;
import dev.quarry.emulator.behavior.FaultInjector;
import dev.quarry.emulator.behavior.LatencySampler;
import dev.quarry.emulator.behavior.LiveBehavior;
import dev.quarry.emulator.behavior.ModelQuota;
import dev.quarry.emulator.behavior.RequestRandom;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.family.Completion;
import dev.quarry.emulator.family.CompletionSynthesizer;
import dev.quarry.emulator.family.ConverseApi;
import dev.quarry.emulator.family.ModelFamilies;
import dev.quarry.emulator.family.ModelFamily;
import dev.quarry.emulator.family.ModelRequest;
import dev.quarry.emulator.model.ModelFamilyKind;
import dev.quarry.emulator.model.ModelId;
import dev.quarry.emulator.stats.BodyDigest;
import dev.quarry.emulator.stats.ModelCounters;
import dev.quarry.emulator.wire.BedrockHeaders;
import dev.quarry.emulator.wire.ErrorShape;
import dev.quarry.emulator.wire.PercentDecoder;
import dev.quarry.emulator.wire.ServiceError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Answers InvokeModel and Converse: identifies the model, validates the body, applies directives,
 * quotas and injected faults, and synthesizes the reply with its latency. Independent of Netty's
 * channel machinery so the whole decision is one plain method call.
 */
public final class InvocationProcessor {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final JsonFactory JSON = MAPPER.getFactory();

  private final EmulatorState state;

  public InvocationProcessor(EmulatorState state) {
    this.state = state;
  }

  /** The reply to one model operation ({@code converse} true for Converse, else InvokeModel). */
  public Reply invoke(boolean converse, String rawModelId, String contentType, byte[] body) {
    String requested = PercentDecoder.decode(rawModelId);
    ModelCounters counters = state.stats().model(requested);
    counters.request();
    BodyDigest digest = BodyDigest.of(body);
    long attempt = attempt(digest);
    ModelId modelId = ModelId.parse(requested);
    ModelRequest request;
    Optional<Fault> directed;
    try {
      Optional<ModelFamilyKind> kind = modelId.family();
      if (kind.isEmpty()) {
        throw ServiceError.validation("The provided model identifier is invalid.");
      }
      checkContentType(contentType);
      ModelFamily family = ModelFamilies.of(kind.get());
      JsonNode json = parseJson(body);
      request = converse ? ConverseApi.parse(json, family) : family.parseInvoke(json, modelId);
      directed = Directive.find(body);
    } catch (ServiceError e) {
      counters.validationError();
      return Reply.error(e);
    }

    return answer(modelId, request, directed, digest, attempt, counters, BedrockWire.INSTANCE);
  }

  /**
   * The reply to a request already identified, validated and reduced, on {@code wire}: a directed
   * fault, else the quota, else an injected fault, else the synthesized answer after its latency.
   * Every API the emulator speaks goes through here, so each has the same latency, limits, faults
   * and stats.
   *
   * @param attempt how many times this body has been seen, for seeded draws
   */
  public Reply answer(
      ModelId modelId,
      ModelRequest request,
      Optional<Fault> directed,
      BodyDigest digest,
      long attempt,
      ModelCounters counters,
      WireDialect wire) {
    LiveBehavior live = state.live();
    ModelBehavior behavior = live.behaviorFor(modelId);
    OptionalLong seed = live.config().seed();
    RequestRandom random =
        seed.isPresent()
            ? RequestRandom.seeded(seed.getAsLong(), digest.leadingLong(), attempt)
            : RequestRandom.unseeded();

    if (directed.isPresent()) {
      return faultReply(directed.get(), modelId, counters, behavior, random, wire);
    }

    int inputTokens = CompletionSynthesizer.inputTokens(request.promptCharacters());
    long reservedOutput =
        request.generatesText()
            ? Math.min(request.effectiveMaxTokens(), behavior.limits().outputTokenReservationCap())
            : 0;
    ModelQuota quota = live.quotaFor(modelId, behavior);
    if (quota != null && !quota.tryAdmit(inputTokens + reservedOutput, System.nanoTime())) {
      counters.throttled();
      return wire.error(Fault.THROTTLED.toError(modelId.requested()));
    }

    // Drawn for every admitted request, so a seeded run's draws do not depend on which rates are
    // non-zero.
    Optional<Fault> injected = FaultInjector.pick(behavior.faults(), random.nextDouble());
    if (injected.isPresent()) {
      if (quota != null) {
        quota.refundTokens(reservedOutput);
      }
      return faultReply(injected.get(), modelId, counters, behavior, random, wire);
    }

    Completion completion = CompletionSynthesizer.synthesize(request, digest);
    long latency =
        LatencySampler.sampleMillis(behavior.latency(), completion.outputTokens(), random);
    completion = completion.withLatency(latency);
    if (quota != null) {
      quota.refundTokens(reservedOutput - completion.outputTokens());
    }
    counters.success(completion.inputTokens(), completion.outputTokens());
    return wire.ok(render(request, completion), completion).delayedBy(latency);
  }

  /**
   * The attempt number of {@code digest}'s body: counted when body counting is on, else a running
   * number.
   */
  public long attempt(BodyDigest digest) {
    return state.live().config().countBodies()
        ? state.stats().recordBody(digest)
        : state.stats().nextUncounted();
  }

  /** The reply to a streaming operation, which the emulator does not implement. */
  public Reply unsupportedStreaming(String rawModelId) {
    return Reply.error(
        new ServiceError(
            ErrorShape.UNKNOWN_OPERATION,
            "Streaming operations (invoke-with-response-stream, converse-stream) are not emulated; model "
                + PercentDecoder.decode(rawModelId)));
  }

  private static Reply faultReply(
      Fault fault,
      ModelId modelId,
      ModelCounters counters,
      ModelBehavior behavior,
      RequestRandom random,
      WireDialect wire) {
    counters.fault(fault);
    long delay = fault.atModel() ? LatencySampler.sampleMillis(behavior.latency(), 0, random) : 0;
    Reply reply =
        fault.dropsConnection()
            ? Reply.dropConnection()
            : wire.error(fault.toError(modelId.requested()));
    return reply.delayedBy(delay);
  }

  private static void checkContentType(String contentType) {
    if (contentType == null) {
      return;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    if (!mediaType.equals(BedrockHeaders.APPLICATION_JSON)) {
      throw ServiceError.validation(
          "The provided Content-Type is not supported: " + contentType + ". Use application/json.");
    }
  }

  /** The body as JSON, or a ValidationException naming what is wrong with it. */
  public static JsonNode parseJson(byte[] body) {
    if (body.length == 0) {
      throw ServiceError.validation(
          "Malformed input request: the request body is empty, please reformat your "
              + "input and try again.");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ServiceError.validation(
          "Malformed input request: the request body is not valid JSON ("
              + e.getOriginalMessage()
              + "), please reformat your input and try again.");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] render(ModelRequest request, Completion completion) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      request.writer().write(json, completion);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
