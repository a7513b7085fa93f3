package dev.quarry.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code conf/quarry.properties} documents every setting with the default the code really uses. */
class ConfigDocumentationTest {
  private static final Pattern DOCUMENTED = Pattern.compile("^#(quarry\\.[a-z0-9.-]+)=(.*)$");
  private static final Path FILE = Path.of("..", "conf", "quarry.properties");

  private static Map<String, String> documentedDefaults() throws Exception {
    Map<String, String> out = new HashMap<>();
    List<String> lines = Files.readAllLines(FILE);
    for (String line : lines) {
      Matcher m = DOCUMENTED.matcher(line.trim());
      if (m.matches()
          && !m.group(1).startsWith("quarry.model.")
          && !m.group(1).startsWith("quarry.route.")
          && !m.group(2).startsWith("<")) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  @Test
  void documentedDefaultsAreTheDefaults() throws Exception {
    Map<String, String> documented = documentedDefaults();
    assertThat(documented).hasSizeGreaterThan(30);
    ControlPlaneConfig fromDocs = ControlPlaneConfig.from(new ConfigSource(documented, Map.of()));
    ControlPlaneConfig builtIn = ControlPlaneConfig.from(new ConfigSource(Map.of(), Map.of()));
    assertThat(fromDocs).isEqualTo(builtIn);
  }

  @Test
  void everyKeyTheCodeReadsIsDocumented() throws Exception {
    Map<String, String> documented = documentedDefaults();
    String source =
        Files.readString(
            Path.of("src/main/java/dev/quarry/controlplane/config/ControlPlaneConfig.java"));
    Matcher keys = Pattern.compile("\"(quarry\\.[a-z0-9.-]+[a-z0-9])\"").matcher(source);
    while (keys.find()) {
      String key = keys.group(1);
      if (!key.equals("quarry.model")) {
        assertThat(documented.keySet().contains(key) || key.equals("quarry.bedrock.region"))
            .as(key + " is documented in conf/quarry.properties")
            .isTrue();
      }
    }
  }

  @Test
  void environmentVariablesWinOverTheFile() {
    ConfigSource source =
        new ConfigSource(Map.of("quarry.api.port", "9000"), Map.of("QUARRY_API_PORT", "9100"));
    assertThat(ControlPlaneConfig.from(source).api().port()).isEqualTo(9100);
    assertThat(ConfigSource.envName("quarry.jobs.max-running"))
        .isEqualTo("QUARRY_JOBS_MAX_RUNNING");
  }

  @Test
  void aJobRunsWithinBothItsOwnCapAndItsModelsBudget() {
    ConfigSource source =
        new ConfigSource(
            Map.of(
                "quarry.job.requests-per-minute", "100",
                "quarry.model.anthropic.claude-3-haiku-20240307-v1:0.requests-per-minute", "500",
                "quarry.model.anthropic.claude-3-haiku-20240307-v1:0.tokens-per-minute", "9000",
                "quarry.model.amazon.nova-pro-v1:0.requests-per-minute", "40"),
            Map.of());
    ControlPlaneConfig config = ControlPlaneConfig.from(source);
    assertThat(config.limitsFor("anthropic.claude-3-haiku-20240307-v1:0").requestsPerMinute())
        .isEqualTo(100);
    assertThat(config.limitsFor("anthropic.claude-3-haiku-20240307-v1:0").tokensPerMinute())
        .isEqualTo(9000);
    assertThat(config.limitsFor("amazon.nova-pro-v1:0").requestsPerMinute()).isEqualTo(40);
    assertThat(config.limitsFor("amazon.nova-lite-v1:0").requestsPerMinute()).isEqualTo(100);
    assertThat(config.limitsFor("amazon.nova-lite-v1:0").quotaPollMillis()).isEqualTo(500);
    assertThat(
            config.modelBudgets().forModel("anthropic.claude-3-haiku-20240307-v1:0").orElseThrow())
        .isEqualTo(new ControlPlaneConfig.ModelLimits(500, 9000, 1.0));
  }

  @Test
  void modelBudgetsComeFromTheEnvironmentTooAndWinThere() {
    ConfigSource source =
        new ConfigSource(
            Map.of(
                "quarry.model.anthropic.claude-3-haiku-20240307-v1:0.requests-per-minute", "500",
                "quarry.model.anthropic.claude-3-haiku-20240307-v1:0.tokens-per-minute", "9000"),
            Map.of(
                "QUARRY_MODEL_ANTHROPIC_CLAUDE_3_HAIKU_20240307_V1_0_REQUESTS_PER_MINUTE", "800",
                "QUARRY_MODEL_ANTHROPIC_CLAUDE_3_HAIKU_20240307_V1_0_MAX_SHARE", "0.8",
                "QUARRY_MODEL_AMAZON_NOVA_LITE_V1_0_REQUESTS_PER_MINUTE", "1_200"));
    ControlPlaneConfig config = ControlPlaneConfig.from(source);
    assertThat(
            config.modelBudgets().forModel("anthropic.claude-3-haiku-20240307-v1:0").orElseThrow())
        .isEqualTo(new ControlPlaneConfig.ModelLimits(800, 9000, 0.8));
    assertThat(config.modelBudgets().forModel("amazon.nova-lite-v1:0").orElseThrow())
        .isEqualTo(new ControlPlaneConfig.ModelLimits(1200, 0, 1.0));
    assertThat(config.modelBudgets().forModel("amazon.nova-pro-v1:0")).isEmpty();
    assertThatThrownBy(
            () ->
                ControlPlaneConfig.from(
                    new ConfigSource(
                        Map.of("quarry.model.amazon.nova-lite-v1:0.max-share", "1.5"), Map.of())))
        .hasMessageContaining("max-share");
  }

  @Test
  void badNumbersNameTheSetting() {
    ConfigSource source = new ConfigSource(Map.of("quarry.api.port", "eighty"), Map.of());
    assertThatThrownBy(() -> ControlPlaneConfig.from(source))
        .hasMessageContaining("quarry.api.port")
        .hasMessageContaining("QUARRY_API_PORT");
  }
}
