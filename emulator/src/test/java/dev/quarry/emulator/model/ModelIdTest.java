package dev.quarry.emulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelIdTest {

  @Test
  void bareIds() {
    ModelId id = ModelId.parse("anthropic.claude-3-haiku-20240307-v1:0");

    assertThat(id.normalized()).isEqualTo("anthropic.claude-3-haiku-20240307-v1:0");
    assertThat(id.foundationModel()).isEqualTo("anthropic.claude-3-haiku-20240307-v1:0");
    assertThat(id.family()).hasValue(ModelFamilyKind.ANTHROPIC_CLAUDE);
  }

  @Test
  void crossRegionProfiles() {
    for (String prefix : new String[] {"us", "eu", "apac", "global", "us-gov", "jp"}) {
      ModelId id = ModelId.parse(prefix + ".amazon.nova-pro-v1:0");
      assertThat(id.normalized()).isEqualTo(prefix + ".amazon.nova-pro-v1:0");
      assertThat(id.foundationModel()).isEqualTo("amazon.nova-pro-v1:0");
      assertThat(id.family()).hasValue(ModelFamilyKind.AMAZON_NOVA);
    }
  }

  @Test
  void foundationModelArns() {
    ModelId id =
        ModelId.parse("arn:aws:bedrock:eu-west-1::foundation-model/meta.llama3-70b-instruct-v1:0");

    assertThat(id.normalized()).isEqualTo("meta.llama3-70b-instruct-v1:0");
    assertThat(id.family()).hasValue(ModelFamilyKind.META_LLAMA);
  }

  @Test
  void inferenceProfileArns() {
    ModelId id =
        ModelId.parse(
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.mistral.pixtral-large-2502-v1:0");

    assertThat(id.normalized()).isEqualTo("us.mistral.pixtral-large-2502-v1:0");
    assertThat(id.foundationModel()).isEqualTo("mistral.pixtral-large-2502-v1:0");
    assertThat(id.family()).hasValue(ModelFamilyKind.MISTRAL);
  }

  @Test
  void customModelArnsNameTheirBaseModel() {
    ModelId id =
        ModelId.parse(
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdef123456");

    assertThat(id.foundationModel()).isEqualTo("amazon.titan-text-express-v1:0:8k");
    assertThat(id.family()).hasValue(ModelFamilyKind.AMAZON_TITAN_TEXT);
  }

  @Test
  void familiesByPrefix() {
    assertThat(ModelId.parse("amazon.titan-embed-text-v2:0").family())
        .hasValue(ModelFamilyKind.AMAZON_TITAN_EMBED_TEXT);
    assertThat(ModelId.parse("amazon.titan-text-lite-v1").family())
        .hasValue(ModelFamilyKind.AMAZON_TITAN_TEXT);
    assertThat(ModelId.parse("mistral.mixtral-8x7b-instruct-v0:1").family())
        .hasValue(ModelFamilyKind.MISTRAL);
  }

  @Test
  void unknownFamilies() {
    assertThat(ModelId.parse("cohere.command-r-v1:0").family()).isEmpty();
    assertThat(ModelId.parse("amazon.nova-canvas-v1:0").family()).isEmpty();
    assertThat(ModelId.parse("amazon.titan-embed-image-v1").family()).isEmpty();
    assertThat(
            ModelId.parse(
                    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6")
                .family())
        .isEmpty();
    assertThat(ModelId.parse("").family()).isEmpty();
  }
}
