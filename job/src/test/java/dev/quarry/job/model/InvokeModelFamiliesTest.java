package dev.quarry.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InvokeModelFamiliesTest {
  private static final InvokeModelFamilies DEFAULTS = InvokeModelFamilies.DEFAULTS;

  @Test
  void theFamiliesTheJobKnowsAreSupportedInEveryIdForm() {
    assertThat(
            List.of(
                "anthropic.claude-3-haiku-20240307-v1:0",
                "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
                "global.anthropic.claude-sonnet-4-20250514-v1:0",
                "amazon.nova-lite-v1:0",
                "amazon.titan-text-express-v1",
                "amazon.titan-embed-text-v2:0",
                "meta.llama3-1-8b-instruct-v1:0",
                "mistral.mistral-large-2402-v1:0",
                "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.meta.llama3-2-1b-instruct-v1:0",
                "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdef123456"))
        .allSatisfy(id -> assertThat(DEFAULTS.supports(id)).as(id).isTrue());
  }

  @Test
  void otherFamiliesAreNot() {
    assertThat(
            List.of(
                "cohere.command-r-v1:0",
                "ai21.jamba-1-5-mini-v1:0",
                "amazon.nova-canvas-v1:0",
                "amazon.nova-reel-v1:0",
                "us.deepseek.r1-v1:0",
                "stability.sd3-5-large-v1:0",
                "arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-english-v3"))
        .allSatisfy(id -> assertThat(DEFAULTS.supports(id)).as(id).isFalse());
  }

  @Test
  void anIdThatHidesItsModelIsLeftToBedrock() {
    assertThat(
            DEFAULTS.supports(
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"))
        .isTrue();
  }

  @Test
  void configurationAddsAFamily() {
    InvokeModelFamilies more = InvokeModelFamilies.parse(DEFAULTS + ", cohere.command");
    assertThat(more.supports("cohere.command-r-v1:0")).isTrue();
    assertThat(InvokeModelFamilies.parse(DEFAULTS.toString())).isEqualTo(DEFAULTS);
    assertThatThrownBy(() -> InvokeModelFamilies.parse("anthropic.claude,,meta.llama"))
        .hasMessageContaining("non-blank");
  }
}
