package dev.quarry.job.invoke.openaibatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.invoke.InvalidModelInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A batch's chat-completions body to Converse, and Converse's answer to a chat completion. */
class ChatOnBedrockTranslationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void systemTurnsAndSettingsBecomeConverseMembers() {
    JsonNode converse =
        ChatToConverse.request(
            json(
                "{'model':'m','messages':[{'role':'system','content':'Be brief.'},"
                    + "{'role':'developer','content':[{'type':'text','text':'Use French.'}]},"
                    + "{'role':'user','content':'Name a rock'},{'role':'user','content':[{'type':'text',"
                    + "'text':'and a gem'},{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBO'}}]},"
                    + "{'role':'assistant','content':'Granite.'},{'role':'user','content':'Another?'}],"
                    + "'max_completion_tokens':50,'temperature':0.2,'top_p':0.9,'stop':'END','user':'u-1',"
                    + "'n':1,'stream':false}"));
    assertThat(converse)
        .isEqualTo(
            json(
                "{'messages':[{'role':'user','content':[{'text':'Name a rock'},{'text':'and a gem'},"
                    + "{'image':{'format':'png','source':{'bytes':'iVBO'}}}]},"
                    + "{'role':'assistant','content':[{'text':'Granite.'}]},"
                    + "{'role':'user','content':[{'text':'Another?'}]}],"
                    + "'system':[{'text':'Be brief.'},{'text':'Use French.'}],"
                    + "'inferenceConfig':{'maxTokens':50,'temperature':0.2,'topP':0.9,"
                    + "'stopSequences':['END']}}"));
  }

  @Test
  void whatConverseCannotCarryIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                ChatToConverse.request(
                    json("{'model':'m','messages':[{'role':'user','content':'hi'}],'tools':[]}")))
        .isInstanceOf(InvalidModelInputException.class)
        .hasMessageStartingWith("body.tools: the member tools cannot be sent to a Bedrock model");
    assertThatThrownBy(
            () ->
                ChatToConverse.request(
                    json(
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url',"
                            + "'image_url':{'url':'https://x/y.png'}}]}]}")))
        .hasMessageContaining("body.messages[0].content[0].image_url: an image by URL");
    assertThatThrownBy(
            () ->
                ChatToConverse.request(
                    json("{'model':'m','messages':[{'role':'tool','content':'42'}]}")))
        .hasMessageContaining("a message of role tool");
    assertThatThrownBy(
            () ->
                ChatToConverse.request(
                    json("{'model':'m','messages':[{'role':'user','content':'hi'}],'n':2}")))
        .hasMessage("body.n: Bedrock Converse answers one choice (n = 1)");
  }

  @Test
  void aConverseAnswerIsAChatCompletion() {
    JsonNode chat =
        ConverseToChat.completion(
            json(
                "{'output':{'message':{'role':'assistant','content':[{'reasoningContent':{}},"
                    + "{'text':'Basalt'},{'text':'.'}]}},'stopReason':'max_tokens',"
                    + "'usage':{'inputTokens':12,'outputTokens':3,'totalTokens':15}}"),
            "anthropic.claude-3-haiku-20240307-v1:0",
            "chatcmpl-x",
            Instant.ofEpochSecond(1_700_000_000));
    assertThat(json(chat.toString()))
        .isEqualTo(
            json(
                "{'id':'chatcmpl-x','object':'chat.completion','created':1700000000,"
                    + "'model':'anthropic.claude-3-haiku-20240307-v1:0','choices':[{'index':0,"
                    + "'message':{'role':'assistant','content':'Basalt.','refusal':null},'logprobs':null,"
                    + "'finish_reason':'length'}],'usage':{'prompt_tokens':12,'completion_tokens':3,"
                    + "'total_tokens':15}}"));
    assertThat(ConverseToChat.finishReason("end_turn")).isEqualTo("stop");
    assertThat(ConverseToChat.finishReason("guardrail_intervened")).isEqualTo("content_filter");
  }

  @Test
  void aLineForAnotherModelIsRefused() {
    assertThatThrownBy(() -> BatchModel.require(json("{'model':'other'}"), "m"))
        .isInstanceOf(InvalidModelInputException.class)
        .hasMessage("body.model other is not the batch's model m: a batch runs one model");
  }
}
