package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.stats.BodyDigest;
import org.junit.jupiter.api.Test;

class DeterminismTest extends EmulatorFixture {

  @Test
  void theSameBodyAlwaysGetsTheSameAnswerApartFromIds() {
    String request = claudeBody("Deterministic, please");

    JsonNode first = Json.body(invoke(CLAUDE, request));
    JsonNode second = Json.body(asyncClient.invokeModel(request(CLAUDE, request)).join());

    assertThat(second.get("content")).isEqualTo(first.get("content"));
    assertThat(second.get("usage")).isEqualTo(first.get("usage"));
    assertThat(second.get("stop_reason")).isEqualTo(first.get("stop_reason"));
    assertThat(second.get("id")).isNotEqualTo(first.get("id"));
  }

  @Test
  void differentBodiesGetDifferentAnswersThatNameTheirInput() {
    String a = claudeBody("Record number one");
    String b = claudeBody("Record number two");

    String textA = Json.body(invoke(CLAUDE, a)).at("/content/0/text").asText();
    String textB = Json.body(invoke(CLAUDE, b)).at("/content/0/text").asText();

    assertThat(textA).isNotEqualTo(textB);
    assertThat(textA)
        .isEqualTo("Emulated reply to: Record number one [" + BodyDigest.of(a).shortHex() + "]");
    assertThat(textB)
        .isEqualTo("Emulated reply to: Record number two [" + BodyDigest.of(b).shortHex() + "]");
  }

  @Test
  void bodiesWithTheSamePromptButOtherSettingsAreStillTold() {
    String a = claudeBody("Same prompt", 500);
    String b = claudeBody("Same prompt", 600);

    assertThat(Json.body(invoke(CLAUDE, a)).at("/content/0/text").asText())
        .isNotEqualTo(Json.body(invoke(CLAUDE, b)).at("/content/0/text").asText());
  }

  @Test
  void quotesOnlyTheFirstFortyCharactersOfTheLastUserTurn() {
    String prompt = "This prompt is definitely longer than forty characters in total";

    String text = Json.body(invoke(CLAUDE, claudeBody(prompt))).at("/content/0/text").asText();

    assertThat(text).startsWith("Emulated reply to: " + prompt.substring(0, 40) + " [");
  }
}
