package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

class ConverseInvokerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  private static final ConverseInvoker INVOKER = new ConverseInvoker(null, MODEL);
  private static final String USER_HI = "{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}";

  private static ConverseRequest toRequest(String json) throws Exception {
    return INVOKER.toRequest(JSON.readTree(json));
  }

  private static void assertRejected(String json, String message) {
    assertThatThrownBy(() -> toRequest(json))
        .isInstanceOf(InvalidModelInputException.class)
        .hasMessage(message);
  }

  @Test
  void minimalRequest() throws Exception {
    ConverseRequest r = toRequest("{\"messages\":[" + USER_HI + "]}");
    assertThat(r.modelId()).isEqualTo(MODEL);
    assertThat(r.messages()).hasSize(1);
    Message m = r.messages().get(0);
    assertThat(m.role()).isEqualTo(ConversationRole.USER);
    assertThat(m.content()).containsExactly(ContentBlock.fromText("hi"));
    assertThat(r.hasSystem()).isFalse();
    assertThat(r.inferenceConfig()).isNull();
    assertThat(r.additionalModelRequestFields()).isNull();
    assertThat(r.toolConfig()).isNull();
  }

  @Test
  void conversationWithSystemInferenceConfigAndAdditionalFields() throws Exception {
    ConverseRequest r = toRequest("{"
        + "\"system\":[{\"text\":\"be brief\"},{\"text\":\"be kind\"}],"
        + "\"messages\":[" + USER_HI + ",{\"role\":\"assistant\",\"content\":[{\"text\":\"hello\"}]},"
        + "{\"role\":\"user\",\"content\":[{\"text\":\"a\"},{\"text\":\"b\"}]}],"
        + "\"inferenceConfig\":{\"maxTokens\":256,\"temperature\":0.25,\"topP\":0.9,\"stopSequences\":[\"END\",\"STOP\"]},"
        + "\"additionalModelRequestFields\":{\"top_k\":200,\"nested\":{\"flag\":true,\"list\":[1,\"two\",null]}},"
        + "\"additionalModelResponseFieldPaths\":[\"/stop_sequence\"]"
        + "}");
    assertThat(r.system()).extracting(s -> s.text()).containsExactly("be brief", "be kind");
    assertThat(r.messages()).extracting(Message::role)
        .containsExactly(ConversationRole.USER, ConversationRole.ASSISTANT, ConversationRole.USER);
    assertThat(r.messages().get(1).content()).containsExactly(ContentBlock.fromText("hello"));
    assertThat(r.messages().get(2).content()).containsExactly(ContentBlock.fromText("a"), ContentBlock.fromText("b"));
    assertThat(r.inferenceConfig().maxTokens()).isEqualTo(256);
    assertThat(r.inferenceConfig().temperature()).isEqualTo(0.25f);
    assertThat(r.inferenceConfig().topP()).isEqualTo(0.9f);
    assertThat(r.inferenceConfig().stopSequences()).containsExactly("END", "STOP");
    Document extra = r.additionalModelRequestFields();
    assertThat(extra.isMap()).isTrue();
    assertThat(extra.asMap().get("top_k").asNumber().intValue()).isEqualTo(200);
    Document nested = extra.asMap().get("nested");
    assertThat(nested.asMap().get("flag").asBoolean()).isTrue();
    assertThat(nested.asMap().get("list").asList()).hasSize(3);
    assertThat(nested.asMap().get("list").asList().get(1).asString()).isEqualTo("two");
    assertThat(nested.asMap().get("list").asList().get(2).isNull()).isTrue();
    assertThat(r.additionalModelResponseFieldPaths()).containsExactly("/stop_sequence");
  }

  @Test
  void partialInferenceConfigLeavesTheRestUnset() throws Exception {
    ConverseRequest r = toRequest("{\"messages\":[" + USER_HI + "],\"inferenceConfig\":{\"maxTokens\":10}}");
    assertThat(r.inferenceConfig().maxTokens()).isEqualTo(10);
    assertThat(r.inferenceConfig().temperature()).isNull();
    assertThat(r.inferenceConfig().topP()).isNull();
    assertThat(r.inferenceConfig().hasStopSequences()).isFalse();
  }

  @Test
  void imageBytesAreDecodedFromBase64() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF};
    String b64 = Base64.getEncoder().encodeToString(png);
    ConverseRequest r = toRequest("{\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"text\":\"what is this?\"},"
        + "{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"" + b64 + "\"}}}]}]}");
    ContentBlock image = r.messages().get(0).content().get(1);
    assertThat(image.image().format()).isEqualTo(ImageFormat.PNG);
    assertThat(image.image().source().bytes().asByteArray()).isEqualTo(png);
  }

  @Test
  void imageFromS3Location() throws Exception {
    ConverseRequest r = toRequest("{\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"image\":{\"format\":\"jpeg\",\"source\":{\"s3Location\":{\"uri\":\"s3://b/cat.jpg\","
        + "\"bucketOwner\":\"123456789012\"}}}}]}]}");
    ContentBlock image = r.messages().get(0).content().get(0);
    assertThat(image.image().format()).isEqualTo(ImageFormat.JPEG);
    assertThat(image.image().source().s3Location().uri()).isEqualTo("s3://b/cat.jpg");
    assertThat(image.image().source().s3Location().bucketOwner()).isEqualTo("123456789012");
  }

  @Test
  void documentBytes() throws Exception {
    byte[] doc = "hello document".getBytes(StandardCharsets.UTF_8);
    ConverseRequest r = toRequest("{\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"document\":{\"format\":\"txt\",\"name\":\"notes\",\"source\":{\"bytes\":\""
        + Base64.getEncoder().encodeToString(doc) + "\"}}},{\"text\":\"summarise\"}]}]}");
    ContentBlock block = r.messages().get(0).content().get(0);
    assertThat(block.document().format()).isEqualTo(DocumentFormat.TXT);
    assertThat(block.document().name()).isEqualTo("notes");
    assertThat(block.document().source().bytes().asByteArray()).isEqualTo(doc);
  }

  // ---- rejections ----

  @Test
  void toolConfigIsRejected() {
    assertRejected("{\"messages\":[" + USER_HI + "],\"toolConfig\":{\"tools\":[]}}",
        "toolConfig is not supported in batch Converse");
  }

  @Test
  void unknownMembersAreRejected() {
    assertRejected("{\"modelId\":\"x\",\"messages\":[" + USER_HI + "]}",
        "modelInput.modelId: Extra inputs are not permitted");
    assertRejected("{\"messages\":[" + USER_HI + "],\"max_tokens\":5}",
        "modelInput.max_tokens: Extra inputs are not permitted");
  }

  @Test
  void requestMetadataIsAKnownMember() throws Exception {
    assertThat(toRequest("{\"messages\":[" + USER_HI + "],\"requestMetadata\":{\"k\":\"v\"}}").messages()).hasSize(1);
  }

  @Test
  void messagesMustBeANonEmptyArray() {
    assertRejected("{}", "modelInput.messages must be a non-empty array");
    assertRejected("{\"messages\":[]}", "modelInput.messages must be a non-empty array");
    assertRejected("{\"messages\":{\"role\":\"user\"}}", "modelInput.messages must be a non-empty array");
    assertRejected("{\"messages\":\"hi\"}", "modelInput.messages must be a non-empty array");
  }

  @Test
  void badRolesAreRejected() {
    assertRejected("{\"messages\":[{\"role\":\"system\",\"content\":[{\"text\":\"x\"}]}]}",
        "modelInput.messages[0].role must be user or assistant");
    assertRejected("{\"messages\":[" + USER_HI + ",{\"content\":[{\"text\":\"x\"}]}]}",
        "modelInput.messages[1].role must be user or assistant");
    assertRejected("{\"messages\":[{\"role\":\"USER\",\"content\":[{\"text\":\"x\"}]}]}",
        "modelInput.messages[0].role must be user or assistant");
    assertRejected("{\"messages\":[\"hello\"]}", "modelInput.messages[0].role must be user or assistant");
  }

  @Test
  void contentMustBeANonEmptyArray() {
    assertRejected("{\"messages\":[{\"role\":\"user\",\"content\":[]}]}",
        "modelInput.messages[0].content must be a non-empty array");
    assertRejected("{\"messages\":[" + USER_HI + ",{\"role\":\"assistant\",\"content\":\"hi\"}]}",
        "modelInput.messages[1].content must be a non-empty array");
  }

  @Test
  void unknownContentBlocksAreRejected() {
    assertRejected("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"},{\"video\":{}}]}]}",
        "modelInput.messages[0].content[1] must hold text, image or document");
  }

  @Test
  void nonBase64BytesAreRejected() {
    assertRejected("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"},"
        + "{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"not base64!\"}}}]}]}",
        "modelInput.messages[0].content[1].image.source.bytes must be base64");
    assertRejected("{\"messages\":[" + USER_HI + ",{\"role\":\"user\",\"content\":["
        + "{\"document\":{\"format\":\"pdf\",\"name\":\"d\",\"source\":{\"bytes\":\"@@@\"}}}]}]}",
        "modelInput.messages[1].content[0].document.source.bytes must be base64");
  }

  @Test
  void imageWithoutASourceIsRejected() {
    assertRejected("{\"messages\":[{\"role\":\"user\",\"content\":[{\"image\":{\"format\":\"png\",\"source\":{}}}]}]}",
        "modelInput.messages[0].content[0].image.source must hold bytes or s3Location");
  }

  @Test
  void systemMustBeAnArrayOfTexts() {
    assertRejected("{\"messages\":[" + USER_HI + "],\"system\":\"be brief\"}", "modelInput.system must be an array");
    assertRejected("{\"messages\":[" + USER_HI + "],\"system\":[{\"text\":\"a\"},{\"txt\":\"b\"}]}",
        "modelInput.system[1].text must be a string");
    assertRejected("{\"messages\":[" + USER_HI + "],\"system\":[{\"text\":5}]}",
        "modelInput.system[0].text must be a string");
  }

  // ---- invoke fails fast on bad input, without calling the client ----

  @Test
  void invokeWithNonJsonFailsWithoutCallingTheModel() {
    CompletableFuture<ModelResponse> f = INVOKER.invoke("not json");
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(InvalidModelInputException.class).hasMessage("modelInput is not JSON");
  }

  @Test
  void invokeWithRejectedInputFailsWithoutCallingTheModel() {
    CompletableFuture<ModelResponse> f = INVOKER.invoke("{\"messages\":[" + USER_HI + "],\"toolConfig\":{}}");
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(InvalidModelInputException.class).hasMessage("toolConfig is not supported in batch Converse");
    CallFailure failure = CallFailure.of(f.handle((r, e) -> e).join());
    assertThat(failure.statusCode()).isEqualTo(400);
    assertThat(failure.retryable()).isFalse();
  }

  @Test
  void jsonNodeInputOfTheRequestIsNotMutated() throws Exception {
    JsonNode node = JSON.readTree("{\"messages\":[" + USER_HI + "],\"inferenceConfig\":{\"maxTokens\":3}}");
    String before = node.toString();
    INVOKER.toRequest(node);
    assertThat(node.toString()).isEqualTo(before);
  }
}
