package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static long maxOutput(String json) throws Exception {
    return TokenEstimator.maxOutputTokens(JSON.readTree(json));
  }

  @Test
  void claudeMaxTokens() throws Exception {
    assertThat(
            maxOutput(
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":300,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .isEqualTo(300);
  }

  @Test
  void novaAndConverseInferenceConfigMaxTokens() throws Exception {
    assertThat(
            maxOutput(
                "{\"schemaVersion\":\"messages-v1\",\"messages\":[],\"inferenceConfig\":{\"maxTokens\":200,"
                    + "\"temperature\":0.5}}"))
        .isEqualTo(200);
  }

  @Test
  void llamaMaxGenLen() throws Exception {
    assertThat(maxOutput("{\"prompt\":\"hi\",\"max_gen_len\":128,\"temperature\":0.1}"))
        .isEqualTo(128);
  }

  @Test
  void titanTextMaxTokenCount() throws Exception {
    assertThat(maxOutput("{\"inputText\":\"hi\",\"textGenerationConfig\":{\"maxTokenCount\":50}}"))
        .isEqualTo(50);
  }

  @Test
  void jurassicTopLevelMaxTokens() throws Exception {
    assertThat(maxOutput("{\"prompt\":\"hi\",\"maxTokens\":77}")).isEqualTo(77);
  }

  @Test
  void embeddingsProduceNoOutputTokens() throws Exception {
    assertThat(maxOutput("{\"inputText\":\"embed me\"}")).isZero();
    assertThat(maxOutput("{\"inputText\":\"embed me\",\"dimensions\":256,\"normalize\":true}"))
        .isZero();
  }

  @Test
  void titanTextWithConfigButNoMaximumGetsTheDefault() throws Exception {
    assertThat(maxOutput("{\"inputText\":\"hi\",\"textGenerationConfig\":{\"temperature\":0}}"))
        .isEqualTo(TokenEstimator.DEFAULT_MAX_OUTPUT_TOKENS);
  }

  @Test
  void defaultWhenNoMaximumIsNamed() throws Exception {
    assertThat(TokenEstimator.DEFAULT_MAX_OUTPUT_TOKENS).isEqualTo(512);
    assertThat(maxOutput("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}"))
        .isEqualTo(512);
    assertThat(maxOutput("{}")).isEqualTo(512);
    assertThat(TokenEstimator.maxOutputTokens(null)).isEqualTo(512);
  }

  @Test
  void nonPositiveOrNonNumericMaximumsAreIgnored() throws Exception {
    assertThat(maxOutput("{\"max_tokens\":0}")).isEqualTo(512);
    assertThat(maxOutput("{\"max_tokens\":-5}")).isEqualTo(512);
    assertThat(maxOutput("{\"max_tokens\":\"300\"}")).isEqualTo(512);
    assertThat(maxOutput("{\"max_tokens\":null,\"max_gen_len\":64}")).isEqualTo(64);
  }

  @Test
  void firstPointerWins() throws Exception {
    assertThat(maxOutput("{\"max_tokens\":10,\"inferenceConfig\":{\"maxTokens\":20}}"))
        .isEqualTo(10);
  }

  @Test
  void estimateIsAQuarterOfTheCharactersPlusTheOutputReserve() throws Exception {
    String json = "{\"max_tokens\":100,\"prompt\":\"" + "x".repeat(370) + "\"}"; // 400 characters
    assertThat(json).hasSize(400);
    assertThat(TokenEstimator.estimate(json, JSON.readTree(json))).isEqualTo(100 + 100);
  }

  @Test
  void estimateCountsAtLeastOneInputToken() throws Exception {
    JsonNode embed = JSON.readTree("{\"inputText\":\"\"}");
    assertThat(TokenEstimator.estimate("{}", embed)).isEqualTo(1);
    assertThat(TokenEstimator.estimate("{}", null)).isEqualTo(1 + 512);
  }
}
