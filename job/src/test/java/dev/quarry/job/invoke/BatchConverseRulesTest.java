package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.testing.ConverseCorpus;
import org.junit.jupiter.api.Test;

class BatchConverseRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER_HI = "{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}";

  private static void check(String json) throws Exception {
    BatchConverseRules.check(JSON.readTree(json));
  }

  private static void assertAccepted(String json) {
    assertThatCode(() -> check(json)).as(json).doesNotThrowAnyException();
  }

  private static void assertRejected(String json, String message) {
    assertThatThrownBy(() -> check(json))
        .isInstanceOf(InvalidModelInputException.class)
        .hasMessage(message);
  }

  @Test
  void everyMemberAndBlockTypeIsAcceptedIncludingOnesNotYetInvented() {
    assertAccepted(ConverseCorpus.EVERY_MEMBER);
    assertAccepted(
        "{\"messages\":[" + USER_HI + "],\"serviceTier\":{\"type\":\"flex\"},\"max_tokens\":5}");
    assertAccepted(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"video\":{\"format\":\"mp4\",\"source\":"
            + "{\"s3Location\":{\"uri\":\"s3://b/v.mp4\"}}}},{\"audio\":{\"format\":\"mp3\",\"source\":{\"bytes\":\"AAAA\"}}},"
            + "{\"guardContent\":{\"text\":{\"text\":\"g\"}}},{\"hologram\":{\"anything\":true}}]}]}");
    assertAccepted(
        "{\"messages\":["
            + USER_HI
            + "],\"system\":[{\"text\":\"s\"},{\"cachePoint\":{\"type\":\"default\"}},"
            + "{\"guardContent\":{\"text\":{\"text\":\"g\"}}}]}");
  }

  @Test
  void toolConfigAndAModelIdAreRefusedAsBatchConverseRefusesThem() {
    assertRejected(
        "{\"messages\":[" + USER_HI + "],\"toolConfig\":{\"tools\":[]}}",
        "toolConfig is not supported in batch Converse");
    assertRejected(
        "{\"modelId\":\"x\",\"messages\":[" + USER_HI + "]}",
        "modelInput.modelId: Extra inputs are not permitted");
  }

  @Test
  void messagesMustBeANonEmptyArrayOfUserAndAssistantTurns() {
    assertRejected("{}", "modelInput.messages must be a non-empty array");
    assertRejected("{\"messages\":[]}", "modelInput.messages must be a non-empty array");
    assertRejected(
        "{\"messages\":{\"role\":\"user\"}}", "modelInput.messages must be a non-empty array");
    assertRejected(
        "{\"messages\":[{\"role\":\"system\",\"content\":[{\"text\":\"x\"}]}]}",
        "modelInput.messages[0].role must be user or assistant");
    assertRejected(
        "{\"messages\":[" + USER_HI + ",{\"content\":[{\"text\":\"x\"}]}]}",
        "modelInput.messages[1].role must be user or assistant");
    assertRejected(
        "{\"messages\":[\"hello\"]}", "modelInput.messages[0].role must be user or assistant");
    assertRejected(
        "{\"messages\":[{\"role\":\"user\",\"content\":[]}]}",
        "modelInput.messages[0].content must be a non-empty array");
    assertRejected(
        "{\"messages\":[" + USER_HI + ",{\"role\":\"assistant\",\"content\":\"hi\"}]}",
        "modelInput.messages[1].content must be a non-empty array");
  }

  @Test
  void blocksMustBeObjectsWithStringTextAndBase64Bytes() {
    assertRejected(
        "{\"messages\":[{\"role\":\"user\",\"content\":[\"plain\"]}]}",
        "modelInput.messages[0].content[0] must be an object naming its block type");
    assertRejected(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{}]}]}",
        "modelInput.messages[0].content[0] must be an object naming its block type");
    assertRejected(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":5}]}]}",
        "modelInput.messages[0].content[0].text must be a string");
    assertRejected(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"},"
            + "{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"not base64!\"}}}]}]}",
        "modelInput.messages[0].content[1].image.source.bytes must be base64");
    assertRejected(
        "{\"messages\":["
            + USER_HI
            + ",{\"role\":\"user\",\"content\":["
            + "{\"document\":{\"format\":\"pdf\",\"name\":\"d\",\"source\":{\"bytes\":\"@@@\"}}}]}]}",
        "modelInput.messages[1].content[0].document.source.bytes must be base64");
    assertRejected(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"video\":{\"source\":{\"bytes\":7}}}]}]}",
        "modelInput.messages[0].content[0].video.source.bytes must be base64");
  }

  @Test
  void systemMustBeAnArrayOfBlocks() {
    assertRejected(
        "{\"messages\":[" + USER_HI + "],\"system\":\"be brief\"}",
        "modelInput.system must be an array");
    assertRejected(
        "{\"messages\":[" + USER_HI + "],\"system\":[{\"text\":\"a\"},{\"text\":5}]}",
        "modelInput.system[1].text must be a string");
  }
}
