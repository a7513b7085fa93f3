package dev.quarry.emulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quarry.emulator.model.ModelId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorConfigTest {
  // Surefire runs in the module directory; the documented config lives at the repository root.
  private static final Path DOCUMENTED = Path.of("..", "conf", "emulator.json");

  @Test
  void theDocumentedConfigFileStatesTheTrueDefaults() throws Exception {
    assertThat(EmulatorConfig.load(DOCUMENTED)).isEqualTo(EmulatorConfig.defaults());
  }

  @Test
  void theDocumentedExamplesParse() throws Exception {
    JsonNode examples =
        JsonMapper.builder().build().readTree(Files.readString(DOCUMENTED)).get("_examples");

    EmulatorConfig config = EmulatorConfig.parse(examples.toString());

    ModelBehavior haiku =
        config.behaviorFor(ModelId.parse("anthropic.claude-3-haiku-20240307-v1:0"));
    assertThat(haiku.latency().isLogNormal()).isTrue();
    assertThat(haiku.latency().medianMillis()).isEqualTo(800);
    assertThat(haiku.limits().tokensPerMinute()).isEqualTo(2_000_000);
    ModelBehavior profile =
        config.behaviorFor(ModelId.parse("us.anthropic.claude-3-5-sonnet-20240620-v1:0"));
    assertThat(profile.limits().requestsPerMinute()).isEqualTo(2000);
    assertThat(profile.faults().internalServerError()).isEqualTo(0.01);
  }

  @Test
  void loadsAFileWithCommentsAndOverridesFieldByField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("emulator.json");
    Files.writeString(
        file,
        """
                {
                  // comments are allowed
                  "seed": 7,
                  "countBodies": false,
                  "defaults": {
                    "latency": {"fixedMs": 25},
                    "limits": {"requestsPerMinute": 100, "tokensPerMinute": 50000, "tokenBurst": 2000},
                    "faults": {"internalServerError": 0.05}
                  },
                  "models": {
                    "meta.llama*": {"limits": {"requestsPerMinute": 10}},
                    "meta.llama3-70b*": {"latency": {"medianMs": 500, "p99Ms": 3000}},
                    "mistral.mistral-7b-instruct-v0:2": {"faults": {"modelError": 0.5}}
                  }
                }
                """);

    EmulatorConfig config = EmulatorConfig.load(file);

    assertThat(config.seed()).hasValue(7);
    assertThat(config.countBodies()).isFalse();
    ModelBehavior fallback = config.behaviorFor(ModelId.parse("anthropic.claude-v2"));
    assertThat(fallback.latency()).isEqualTo(LatencyProfile.fixed(Duration.ofMillis(25)));
    assertThat(fallback.limits().effectiveTokenBurst()).isEqualTo(2000);
    assertThat(fallback.limits().effectiveRequestBurst()).isEqualTo(1.6666666666666667);

    ModelBehavior llama8 = config.behaviorFor(ModelId.parse("us.meta.llama3-8b-instruct-v1:0"));
    assertThat(llama8.limits().requestsPerMinute()).isEqualTo(10);
    assertThat(llama8.limits().tokensPerMinute()).isEqualTo(50000);
    assertThat(llama8.latency().fixedMillis()).isEqualTo(25);

    ModelBehavior llama70 = config.behaviorFor(ModelId.parse("meta.llama3-70b-instruct-v1:0"));
    assertThat(llama70.latency().isLogNormal()).isTrue();
    assertThat(llama70.limits().requestsPerMinute()).isEqualTo(100);

    ModelBehavior mistral =
        config.behaviorFor(
            ModelId.parse(
                "arn:aws:bedrock:us-west-2::foundation-model/mistral.mistral-7b-instruct-v0:2"));
    assertThat(mistral.faults().modelError()).isEqualTo(0.5);
    assertThat(mistral.faults().internalServerError()).isEqualTo(0.05);
  }

  @Test
  void rejectsUnknownKeysAndBadValuesWithThePathInTheMessage() {
    assertThatThrownBy(() -> EmulatorConfig.parse("{\"defaults\":{\"limits\":{\"rpm\":5}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown setting defaults.limits.rpm");
    assertThatThrownBy(
            () -> EmulatorConfig.parse("{\"defaults\":{\"faults\":{\"modelError\":1.5}}}"))
        .hasMessageContaining("modelError must be within 0..1");
    assertThatThrownBy(
            () ->
                EmulatorConfig.parse(
                    "{\"defaults\":{\"faults\":{\"modelError\":0.6,\"modelTimeout\":0.6}}}"))
        .hasMessageContaining("more than 1");
    assertThatThrownBy(
            () -> EmulatorConfig.parse("{\"models\":{\"x\":{\"latency\":{\"medianMs\":100}}}}"))
        .hasMessageContaining("models.x.latency: medianMs and p99Ms must be given together");
    assertThatThrownBy(
            () ->
                EmulatorConfig.parse(
                    "{\"defaults\":{\"latency\":{\"medianMs\":100,\"p99Ms\":50}}}"))
        .hasMessageContaining("must be >= medianMs");
    assertThatThrownBy(() -> EmulatorConfig.parse("{\"seed\":\"abc\"}"))
        .hasMessageContaining("seed must be an integer");
    assertThatThrownBy(() -> EmulatorConfig.parse("[]"))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> EmulatorConfig.parse("{")).hasMessageContaining("not valid JSON");
  }

  @Test
  void credentialsMapAccessKeysToSecrets() {
    EmulatorConfig config =
        EmulatorConfig.parse(
            "{\"credentials\":{\"_doc\":\"ignored\",\"AKIA1\":\"s1\",\"AKIA2\":\"s2\"}}");

    assertThat(config.credentials()).containsOnly(entry("AKIA1", "s1"), entry("AKIA2", "s2"));
    assertThat(config).isNotEqualTo(EmulatorConfig.defaults());
    assertThat(config.toBuilder().clearCredentials().build()).isEqualTo(EmulatorConfig.defaults());
    assertThat(EmulatorConfig.defaults().credentials()).isEmpty();
    assertThatThrownBy(() -> EmulatorConfig.parse("{\"credentials\":{\"AKIA1\":5}}"))
        .hasMessageContaining("credentials.AKIA1 must be a string");
    assertThatThrownBy(() -> EmulatorConfig.parse("{\"credentials\":[\"AKIA1\"]}"))
        .hasMessageContaining("credentials must be an object");
    assertThatThrownBy(() -> EmulatorConfig.parse("{\"credentials\":{\"AKIA1\":\"\"}}"))
        .hasMessageContaining("must both be non-empty");
  }

  @Test
  void buildersProduceEqualImmutableValues() {
    EmulatorConfig a =
        EmulatorConfig.builder()
            .defaultBehavior(
                ModelBehavior.builder()
                    .limits(RateLimits.builder().requestsPerMinute(60).build())
                    .build())
            .model("x*", ModelBehavior.defaults())
            .seed(1)
            .build();
    EmulatorConfig b = a.toBuilder().build();

    assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(a.toBuilder().noSeed().build()).isNotEqualTo(a);
    assertThatThrownBy(() -> a.models().put("y", ModelBehavior.defaults()))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
