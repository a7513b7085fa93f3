package dev.quarry.emulator.family;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The guardrail trace a Converse response carries when {@code guardrailConfig.trace} is enabled:
 * the emulated guardrail assesses the prompt and the reply, never intervenes, and bills one
 * content-policy unit per 1,000 characters as Bedrock does.
 *
 * @param guardrailId the identifier the request named
 * @param full {@code enabled_full}: the trace also carries the model output
 * @param promptCharacters characters of prompt text assessed
 */
record GuardrailTrace(String guardrailId, boolean full, long promptCharacters) {
  private static final int CHARACTERS_PER_UNIT = 1000;

  /** Writes the {@code trace} member's value for a reply of {@code replyText}. */
  void write(JsonGenerator json, String replyText) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("guardrail");
    if (full) {
      json.writeArrayFieldStart("modelOutput");
      json.writeString(replyText);
      json.writeEndArray();
    }
    json.writeObjectFieldStart("inputAssessment");
    json.writeFieldName(guardrailId);
    assessment(json, promptCharacters);
    json.writeEndObject();
    json.writeObjectFieldStart("outputAssessments");
    json.writeArrayFieldStart(guardrailId);
    assessment(json, replyText.length());
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void assessment(JsonGenerator json, long characters) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("invocationMetrics");
    json.writeNumberField("guardrailProcessingLatency", 0);
    json.writeObjectFieldStart("usage");
    json.writeNumberField("topicPolicyUnits", 0);
    json.writeNumberField(
        "contentPolicyUnits", (characters + CHARACTERS_PER_UNIT - 1) / CHARACTERS_PER_UNIT);
    json.writeNumberField("wordPolicyUnits", 0);
    json.writeNumberField("sensitiveInformationPolicyUnits", 0);
    json.writeNumberField("sensitiveInformationPolicyFreeUnits", 0);
    json.writeNumberField("contextualGroundingPolicyUnits", 0);
    json.writeEndObject();
    json.writeObjectFieldStart("guardrailCoverage");
    json.writeObjectFieldStart("textCharacters");
    json.writeNumberField("guarded", characters);
    json.writeNumberField("total", characters);
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndObject();
  }
}
