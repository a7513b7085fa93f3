package dev.quarry.emulator.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An immutable view of the emulator's counters at one moment. */
public final class StatsSnapshot {
  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, ModelStats> models;
  private final ModelStats totals;
  private final Map<String, Long> bodies;

  StatsSnapshot(Map<String, ModelStats> models, Map<String, Long> bodies) {
    this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    ModelStats sum = ModelStats.EMPTY;
    for (ModelStats s : models.values()) {
      sum = sum.plus(s);
    }
    this.totals = sum;
    this.bodies = bodies == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(bodies));
  }

  /** Counts per model id as requested (percent-decoded), sorted by id. */
  public Map<String, ModelStats> models() {
    return models;
  }

  /** Counts of one model id as requested; all zero if it was never requested. */
  public ModelStats model(String requestedModelId) {
    return models.getOrDefault(requestedModelId, ModelStats.EMPTY);
  }

  /** Sums over all models. */
  public ModelStats totals() {
    return totals;
  }

  /**
   * Times each distinct body was seen, keyed by SHA-256 hex; empty if the snapshot was taken
   * without bodies.
   */
  public Optional<Map<String, Long>> bodies() {
    return Optional.ofNullable(bodies);
  }

  /** How many times exactly this body (as UTF-8 text) was sent; 0 if never. */
  public long timesSeen(String body) {
    return timesSeenDigest(BodyDigest.of(body).hex());
  }

  /** How many times the body with this SHA-256 hex was sent; 0 if never. */
  public long timesSeenDigest(String sha256Hex) {
    if (bodies == null) {
      throw new IllegalStateException("this snapshot was taken without body counts");
    }
    return bodies.getOrDefault(sha256Hex, 0L);
  }

  /** The JSON served at {@code GET /_emulator/stats}. */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeFieldName("totals");
      write(g, totals);
      g.writeObjectFieldStart("models");
      for (Map.Entry<String, ModelStats> e : models.entrySet()) {
        g.writeFieldName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
      if (bodies != null) {
        g.writeObjectFieldStart("bodies");
        for (Map.Entry<String, Long> e : bodies.entrySet()) {
          g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, ModelStats s) throws IOException {
    g.writeStartObject();
    g.writeNumberField("requests", s.requests());
    g.writeNumberField("succeeded", s.succeeded());
    g.writeNumberField("throttled", s.throttled());
    g.writeNumberField("validationErrors", s.validationErrors());
    g.writeNumberField("faulted", s.faulted());
    g.writeObjectFieldStart("faults");
    g.writeNumberField("internalServerError", s.faults().internalServerError());
    g.writeNumberField("serviceUnavailable", s.faults().serviceUnavailable());
    g.writeNumberField("modelTimeout", s.faults().modelTimeout());
    g.writeNumberField("modelError", s.faults().modelError());
    g.writeNumberField("droppedConnection", s.faults().droppedConnection());
    g.writeEndObject();
    g.writeNumberField("inputTokens", s.inputTokens());
    g.writeNumberField("outputTokens", s.outputTokens());
    g.writeEndObject();
  }

  @Override
  public String toString() {
    return "StatsSnapshot{totals=" + totals + ", models=" + models.keySet() + "}";
  }
}
