package dev.quarry.job.invoke.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BedrockRuntimeHttpTest {

  @Test
  void theEndpointIsTheOverrideOrTheRegionsOwnBySdkRules() {
    assertThat(BedrockRuntimeHttp.endpoint("us-east-1", null))
        .isEqualTo(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"));
    assertThat(BedrockRuntimeHttp.endpoint("eu-central-1", null))
        .isEqualTo(URI.create("https://bedrock-runtime.eu-central-1.amazonaws.com"));
    assertThat(BedrockRuntimeHttp.endpoint("cn-north-1", null))
        .isEqualTo(URI.create("https://bedrock-runtime.cn-north-1.amazonaws.com.cn"));
    assertThat(BedrockRuntimeHttp.endpoint("us-east-1", "http://127.0.0.1:8089"))
        .isEqualTo(URI.create("http://127.0.0.1:8089"));
  }

  @Test
  void modelIdsArePercentEncodedAsOnePathSegment() {
    assertThat(BedrockRuntimeHttp.modelPath("anthropic.claude-3-haiku-20240307-v1:0", "converse"))
        .isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
    assertThat(
            BedrockRuntimeHttp.modelPath(
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0",
                "converse"))
        .isEqualTo(
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
                + "us.anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  }
}
