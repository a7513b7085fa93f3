package dev.quarry.job.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.job.secret.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route in the job spec: carried as JSON, holding a key reference, resolved where the calls are
 * made.
 */
class ModelRouteTest {

  private static JobSpec.Builder spec() {
    return JobSpec.builder()
        .jobId("abcdefabcdef")
        .inputUri("s3://in/x.jsonl")
        .outputUri("s3://out/")
        .modelId("meta.llama3-1-8b-instruct-v1:0");
  }

  @Test
  void theRouteSurvivesTheSpecsJsonWithOnlyTheKeyReference() {
    ModelRoute route =
        ModelRoute.openAiCompatible(
            "vllm",
            "http://vllm:8000/v1",
            "meta-llama/Llama-3.1-8B-Instruct",
            SecretRef.parse("env:VLLM_API_KEY"),
            null);
    String json = spec().route(route).build().toJson();

    assertThat(json)
        .contains("\"apiKey\":\"env:VLLM_API_KEY\"")
        .contains("\"provider\":\"OPENAI_COMPATIBLE\"");
    assertThat(JobSpec.fromJson(json).route()).isEqualTo(route);
  }

  @Test
  void aSpecWithoutARouteGoesToBedrock() {
    String json = spec().build().toJson().replaceAll(",\"route\":\\{[^}]*}", "");
    assertThat(json).doesNotContain("route");
    assertThat(JobSpec.fromJson(json).route().isBedrock()).isTrue();
  }

  @Test
  void aKeyIsAReferenceResolvedWhereTheJobRuns(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-2\n");
    ModelRoute route =
        ModelRoute.openAiCompatible(
            "r", "http://vllm:8000/v1", null, SecretRef.parse("file:" + file), null);
    assertThat(route.apiKey().resolve()).isEqualTo("sk-2");
    assertThatThrownBy(() -> SecretRef.parse("sk-proj-abcdefghijklmnop"))
        .hasMessageContaining("env:NAME, file:/path")
        .hasMessageNotContaining("abcdefghijklmnop");
    assertThatThrownBy(() -> SecretRef.parse("file:relative/key")).hasMessageContaining("absolute");
  }

  @Test
  void anOpenAiRouteNeedsAnHttpBaseUrl() {
    assertThatThrownBy(() -> ModelRoute.openAiCompatible("x", "vllm:8000", null, null, null))
        .hasMessageContaining("http(s) URL");
  }
}
