package dev.quarry.controlplane.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.job.spec.ModelProvider;
import dev.quarry.job.spec.ModelRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The model catalog: the documented examples parse, ids route by exact id then longest prefix,
 * errors are named.
 */
class ModelCatalogTest {
  private static final Pattern EXAMPLE = Pattern.compile("^#(quarry\\.route\\.[^=]+)=(.*)$");

  private static Map<String, String> documentedExamples() throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "conf", "quarry.properties"))) {
      Matcher m = EXAMPLE.matcher(line.trim());
      if (m.matches()) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  @Test
  void theDocumentedVllmAndOllamaExamplesRoute() throws Exception {
    Map<String, String> settings = documentedExamples();
    settings.put("quarry.job.max-concurrency", "64");
    settings.put("quarry.model.ollama.llama3.1:70b.requests-per-minute", "30");
    ControlPlaneConfig config = ControlPlaneConfig.from(new ConfigSource(settings, Map.of()));

    ModelRoute vllm = config.routeFor("meta.llama3-1-8b-instruct-v1:0");
    assertThat(vllm.provider()).isEqualTo(ModelProvider.OPENAI_COMPATIBLE);
    assertThat(vllm.baseUrl()).isEqualTo("http://vllm.internal:8000/v1");
    assertThat(vllm.upstreamModelFor("meta.llama3-1-8b-instruct-v1:0"))
        .isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(vllm.apiKey().reference()).isEqualTo("env:VLLM_API_KEY");
    assertThat(config.limitsFor("meta.llama3-1-8b-instruct-v1:0").maxConcurrency()).isEqualTo(32);

    ModelRoute ollama = config.routeFor("ollama.qwen2.5:7b");
    assertThat(ollama.name()).isEqualTo("ollama");
    assertThat(ollama.upstreamModelFor("ollama.qwen2.5:7b")).isEqualTo("qwen2.5:7b");
    assertThat(ollama.apiKey()).isNull();
    assertThat(ollama.invokeFamily()).isEqualTo("meta.llama");
    assertThat(config.limitsFor("ollama.qwen2.5:7b").maxConcurrency()).isEqualTo(4);
    // The model's own budget wins over its route's.
    assertThat(config.limitsFor("ollama.llama3.1:70b").requestsPerMinute()).isEqualTo(30);
    assertThat(config.limitsFor("ollama.llama3.1:70b").maxConcurrency()).isEqualTo(4);

    ModelRoute embed = config.routeFor("ollama.nomic-embed-text");
    assertThat(embed.name()).isEqualTo("ollama-embed");
    assertThat(embed.upstreamModelFor("ollama.nomic-embed-text")).isEqualTo("nomic-embed-text");
    assertThat(embed.invokeFamily()).isEqualTo("amazon.titan-embed-text");
    assertThat(config.routeFor("anthropic.claude-3-haiku-20240307-v1:0").isBedrock()).isTrue();
    assertThat(config.limitsFor("anthropic.claude-3-haiku-20240307-v1:0").maxConcurrency())
        .isEqualTo(64);
  }

  @Test
  void anExactIdWinsOverPrefixesAndTheLongerPrefixWins() {
    ModelCatalog catalog =
        ModelCatalog.parse(
            Map.of(
                "all.models", "*",
                "all.provider", "openai-compatible",
                "all.base-url", "http://gateway:4000/v1",
                "meta.models", "meta.*",
                "meta.provider", "openai-compatible",
                "meta.base-url", "http://vllm:8000/v1",
                "bedrock.models", "meta.llama3-70b-instruct-v1:0",
                "bedrock.provider", "bedrock"));

    assertThat(catalog.entryFor("meta.llama3-70b-instruct-v1:0").orElseThrow().name())
        .isEqualTo("bedrock");
    assertThat(catalog.routeFor("meta.llama3-70b-instruct-v1:0").isBedrock()).isTrue();
    assertThat(catalog.entryFor("meta.llama3-8b-instruct-v1:0").orElseThrow().name())
        .isEqualTo("meta");
    assertThat(catalog.entryFor("gpt-4o-mini").orElseThrow().name()).isEqualTo("all");
  }

  @Test
  void invokeModelJobsNeedAFamilyTheRouteCanTranslate() {
    ModelCatalog catalog =
        ModelCatalog.parse(
            Map.of(
                "ollama.models", "ollama.llama3.1:*, ollama.qwen2.5:7b",
                "ollama.provider", "openai-compatible",
                "ollama.base-url", "http://localhost:11434/v1",
                "claude.models", "anthropic.claude-3-haiku-20240307-v1:0",
                "claude.provider", "openai-compatible",
                "claude.base-url", "http://litellm:4000/v1"));

    assertThat(catalog.invokeModelRefusal("anthropic.claude-3-haiku-20240307-v1:0")).isEmpty();
    assertThat(catalog.invokeModelRefusal("ollama.qwen2.5:7b"))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains("quarry.route.ollama.invoke-family")
                    .contains("Converse"));
    assertThat(catalog.invokeModelRefusal("some.bedrock-model")).isEmpty();
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(
            () -> ModelCatalog.parse(Map.of("x.models", "m", "x.provider", "openai-compatible")))
        .hasMessageContaining("quarry.route.x.")
        .hasMessageContaining("baseUrl");
    assertThatThrownBy(
            () -> ModelCatalog.parse(Map.of("x.models", "m", "x.base_url", "http://h/v1")))
        .hasMessageContaining("Unknown setting quarry.route.x.base_url");
    assertThatThrownBy(
            () ->
                ModelCatalog.parse(
                    Map.of(
                        "x.models",
                        "m",
                        "x.provider",
                        "openai-compatible",
                        "x.base-url",
                        "http://h/v1",
                        "x.api-key",
                        "sk-live-1234567890")))
        .hasMessageContaining("env:NAME, file:/path")
        .hasMessageNotContaining("sk-live-1234567890");
    assertThatThrownBy(() -> ModelCatalog.parse(Map.of("x.models", "m", "y.models", "m")))
        .hasMessageContaining("Model m is listed by both");
    assertThatThrownBy(
            () ->
                ModelCatalog.parse(
                    Map.of(
                        "x.models",
                        "m",
                        "x.provider",
                        "openai-compatible",
                        "x.base-url",
                        "http://h/v1",
                        "x.invoke-family",
                        "cohere.command")))
        .hasMessageContaining("invoke-family must be one of");
    assertThatThrownBy(() -> ModelCatalog.parse(Map.of("x.models", "m", "x.max-share", "1.5")))
        .hasMessageContaining("quarry.route.x.")
        .hasMessageContaining("0 < max-share <= 1");
    assertThatThrownBy(() -> ModelCatalog.parse(Map.of("x.models", "m", "x.max-share", "most")))
        .hasMessageContaining("quarry.route.x.max-share must be a number, was most");
  }

  @Test
  void aRouteWithARequestOrTokenBudgetIsSharedByItsJobs() {
    ModelCatalog catalog =
        ModelCatalog.parse(
            Map.of(
                "a.models", "m1",
                "a.requests-per-minute", "600",
                "a.max-share", "0.8",
                "b.models", "m2",
                "b.tokens-per-minute", "1000",
                "c.models", "m3",
                "c.requests-per-minute", "0",
                "c.max-concurrency", "4"));
    assertThat(catalog.entryFor("m1").orElseThrow().budgets())
        .isEqualTo(new RouteBudgets(600, null, null, 0.8));
    assertThat(catalog.entryFor("m1").orElseThrow().budgets().shared()).isTrue();
    assertThat(catalog.entryFor("m2").orElseThrow().budgets().shared()).isTrue();
    assertThat(catalog.entryFor("m3").orElseThrow().budgets().shared())
        .as("0 is no budget")
        .isFalse();
  }
}
