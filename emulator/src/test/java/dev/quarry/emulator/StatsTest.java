package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.stats.BodyDigest;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.emulator.stats.StatsSnapshot;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class StatsTest extends EmulatorFixture {

  @Test
  void countsPerModelAndPerBody() {
    String once = claudeBody("seen once");
    String thrice = claudeBody("seen three times");
    InvokeModelResponse r1 = invoke(CLAUDE, once);
    invoke(CLAUDE, thrice);
    invoke(CLAUDE, thrice);
    invoke(CLAUDE, thrice);
    invoke(LLAMA, "{\"prompt\":\"llama\"}");
    assertThatThrownBy(() -> invoke(LLAMA, "{}")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> invoke(LLAMA, "{\"prompt\":\"[[emulator:fail=500]]\"}"))
        .isInstanceOf(InternalServerException.class);

    StatsSnapshot stats = emulator.stats();

    assertThat(stats.timesSeen(once)).isEqualTo(1);
    assertThat(stats.timesSeen(thrice)).isEqualTo(3);
    assertThat(stats.timesSeen(claudeBody("never sent"))).isZero();
    assertThat(stats.timesSeenDigest(BodyDigest.of(thrice).hex())).isEqualTo(3);
    assertThat(emulator.timesSeen(thrice)).isEqualTo(3);

    ModelStats claude = stats.model(CLAUDE);
    assertThat(claude.requests()).isEqualTo(4);
    assertThat(claude.succeeded()).isEqualTo(4);
    assertThat(claude.inputTokens()).isPositive();
    assertThat(claude.inputTokens())
        .isGreaterThanOrEqualTo(Long.parseLong(header(r1, "X-Amzn-Bedrock-Input-Token-Count")));
    ModelStats llama = stats.model(LLAMA);
    assertThat(llama.requests()).isEqualTo(3);
    assertThat(llama.succeeded()).isEqualTo(1);
    assertThat(llama.validationErrors()).isEqualTo(1);
    assertThat(llama.faults().internalServerError()).isEqualTo(1);
    assertThat(llama.faulted()).isEqualTo(1);
    assertThat(stats.totals().requests()).isEqualTo(7);
    assertThat(stats.totals().succeeded()).isEqualTo(5);
    assertThat(stats.totals().outputTokens())
        .isEqualTo(claude.outputTokens() + llama.outputTokens());
  }

  @Test
  void snapshotsAreImmutable() {
    invoke(CLAUDE, claudeBody("before"));
    StatsSnapshot before = emulator.stats();
    invoke(CLAUDE, claudeBody("after"));

    assertThat(before.model(CLAUDE).requests()).isEqualTo(1);
    assertThat(emulator.stats().model(CLAUDE).requests()).isEqualTo(2);
    assertThatThrownBy(() -> before.models().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void resetClearsEverything() {
    invoke(CLAUDE, claudeBody("to be forgotten"));
    emulator.reset();

    assertThat(emulator.stats().models()).isEmpty();
    assertThat(emulator.stats().totals().requests()).isZero();
    assertThat(emulator.timesSeen(claudeBody("to be forgotten"))).isZero();
  }

  @Test
  void servesStatsAndResetOverHttp() {
    String body = claudeBody("over http");
    invoke(CLAUDE, body);
    invoke(CLAUDE, body);

    HttpResponse<String> withoutBodies = RawHttp.get(emulator.endpoint(), "/_emulator/stats");
    assertThat(withoutBodies.statusCode()).isEqualTo(200);
    JsonNode json = Json.parse(withoutBodies.body());
    assertThat(json.at("/totals/requests").asLong()).isEqualTo(2);
    assertThat(json.get("models").get(CLAUDE).get("succeeded").asLong()).isEqualTo(2);
    assertThat(json.get("models").get(CLAUDE).at("/faults/droppedConnection").asLong()).isZero();
    assertThat(json.has("bodies")).isFalse();

    JsonNode withBodies =
        Json.parse(RawHttp.get(emulator.endpoint(), "/_emulator/stats?bodies=true").body());
    assertThat(withBodies.at("/bodies/" + BodyDigest.of(body).hex()).asLong()).isEqualTo(2);

    HttpResponse<String> reset = RawHttp.post(emulator.endpoint(), "/_emulator/reset", null, "");
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(
            Json.parse(RawHttp.get(emulator.endpoint(), "/_emulator/stats").body())
                .at("/totals/requests")
                .asLong())
        .isZero();
  }

  @Test
  void configCanBeReplacedOverHttp() {
    HttpResponse<String> ok =
        RawHttp.post(
            emulator.endpoint(),
            "/_emulator/config",
            "application/json",
            "{\"defaults\":{\"faults\":{\"internalServerError\":1.0}}}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("x")))
        .isInstanceOf(InternalServerException.class);

    HttpResponse<String> bad =
        RawHttp.post(
            emulator.endpoint(),
            "/_emulator/config",
            "application/json",
            "{\"defaults\":{\"latency\":{\"fixedMillis\":5}}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("unknown setting defaults.latency.fixedMillis");
  }
}
