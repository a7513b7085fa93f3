package dev.quarry.job.invoke.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.invoke.CallFailure;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.MalformedModelResponseException;
import dev.quarry.job.invoke.ModelResponse;
import dev.quarry.job.record.OutputLine;
import dev.quarry.job.spec.InvocationType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each family's body to chat completions (or embeddings) and the answer back, usage included. */
class TranslatorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "served-model";

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static BedrockBodyTranslator translator(String modelId) {
    return Translators.forJob(InvocationType.INVOKE_MODEL, modelId, null);
  }

  /** A chat completion as servers answer: one choice, usage. */
  private static JsonNode chatAnswer(String text, String finishReason, int prompt, int completion) {
    return json(
        "{'id':'chatcmpl-1','object':'chat.completion','created':1,'model':'served-model','choices':[{"
            + "'index':0,'message':{'role':'assistant','content':'"
            + text
            + "'},'finish_reason':'"
            + finishReason
            + "'}],'usage':{'prompt_tokens':"
            + prompt
            + ",'completion_tokens':"
            + completion
            + ",'total_tokens':"
            + (prompt + completion)
            + "}}");
  }

  private static JsonNode body(ModelResponse response) {
    return json(response.body());
  }

  /** The error line the job writes for an input that fails before the call. */
  private static String errorLine(String modelId, String modelInput) {
    try {
      translator(modelId).request(json(modelInput), MODEL);
    } catch (InvalidModelInputException e) {
      CallFailure failure = CallFailure.of(e);
      return OutputLine.error(
          "rec1", json(modelInput).toString(), failure.statusCode(), failure.message());
    }
    throw new AssertionError("translated: " + modelInput);
  }

  @Nested
  class AnthropicClaude {
    private final BedrockBodyTranslator claude =
        translator("anthropic.claude-3-haiku-20240307-v1:0");

    @Test
    void messagesAndSettingsBecomeAChatRequest() {
      UpstreamRequest request =
          claude.request(
              json(
                  "{'anthropic_version':'bedrock-2023-05-31','max_tokens':200,"
                      + "'system':'Be brief.','temperature':0.5,'top_p':0.9,'top_k':40,'stop_sequences':['END'],"
                      + "'messages':[{'role':'user','content':[{'type':'text','text':'Hi'},{'type':'image','source':{"
                      + "'type':'base64','media_type':'image/png','data':'iVBO'}}]},{'role':'assistant','content':'Hello'},"
                      + "{'role':'user','content':'Again'}]}"),
              MODEL);

      assertThat(request.path()).isEqualTo("/chat/completions");
      assertThat(request.body())
          .isEqualTo(
              json(
                  "{'model':'served-model','messages':["
                      + "{'role':'system','content':'Be brief.'},"
                      + "{'role':'user','content':[{'type':'text','text':'Hi'},{'type':'image_url','image_url':{"
                      + "'url':'data:image/png;base64,iVBO'}}]},"
                      + "{'role':'assistant','content':'Hello'},{'role':'user','content':'Again'}],"
                      + "'max_tokens':200,'temperature':0.5,'top_p':0.9,'stop':['END']}"));
    }

    @Test
    void theAnswerIsAClaudeMessageWithUsage() {
      ModelResponse response =
          claude.response(json("{}"), chatAnswer("Hello there", "length", 12, 34), 5);

      assertThat(body(response))
          .isEqualTo(
              json(
                  "{'id':'chatcmpl-1','type':'message','role':'assistant',"
                      + "'model':'served-model','content':[{'type':'text','text':'Hello there'}],'stop_reason':'max_tokens',"
                      + "'stop_sequence':null,'usage':{'input_tokens':12,'output_tokens':34}}"));
      assertThat(response.inputTokens()).isEqualTo(12);
      assertThat(response.outputTokens()).isEqualTo(34);
    }

    @Test
    void aDocumentBlockIsThatRecordsErrorLine() {
      String line =
          errorLine(
              "anthropic.claude-3-haiku-20240307-v1:0",
              "{'max_tokens':10,'messages':[{'role':"
                  + "'user','content':[{'type':'text','text':'Read'},{'type':'document','source':{}}]}]}");

      JsonNode error = json(line).get("error");
      assertThat(error.get("errorCode").asInt()).isEqualTo(400);
      assertThat(error.get("errorMessage").asText())
          .isEqualTo(
              "modelInput.messages[0].content[1]: a content "
                  + "block of type document cannot be sent to an OpenAI-compatible model server (chat completions has no "
                  + "equivalent); send this record to Bedrock, or remove it");
    }

    @Test
    void toolsCannotBeSent() {
      assertThatThrownBy(
              () ->
                  claude.request(
                      json(
                          "{'max_tokens':10,'tools':[],'messages':[{'role':'user',"
                              + "'content':'x'}]}"),
                      MODEL))
          .isInstanceOf(UntranslatableInputException.class)
          .hasMessageStartingWith("modelInput.tools: the member tools");
    }
  }

  @Nested
  class AmazonNova {
    private final BedrockBodyTranslator nova = translator("us.amazon.nova-lite-v1:0");

    @Test
    void blocksAndInferenceConfigBecomeAChatRequest() {
      UpstreamRequest request =
          nova.request(
              json(
                  "{'schemaVersion':'messages-v1','system':[{'text':'Sys'}],"
                      + "'messages':[{'role':'user','content':[{'text':'Look'},{'image':{'format':'jpeg','source':{"
                      + "'bytes':'AAAA'}}},{'cachePoint':{'type':'default'}}]}],"
                      + "'inferenceConfig':{'max_new_tokens':64,'temperature':0.2,'topP':0.8,'topK':20,'stopSequences':[]}}"),
              MODEL);

      assertThat(request.body())
          .isEqualTo(
              json(
                  "{'model':'served-model','messages':["
                      + "{'role':'system','content':'Sys'},"
                      + "{'role':'user','content':[{'type':'text','text':'Look'},{'type':'image_url','image_url':{"
                      + "'url':'data:image/jpeg;base64,AAAA'}}]}],'max_tokens':64,'temperature':0.2,'top_p':0.8}"));
    }

    @Test
    void theAnswerIsNovasOutputWithUsage() {
      ModelResponse response = nova.response(json("{}"), chatAnswer("Yes", "stop", 3, 4), 5);

      assertThat(body(response))
          .isEqualTo(
              json(
                  "{'output':{'message':{'role':'assistant','content':[{'text':"
                      + "'Yes'}]}},'stopReason':'end_turn','usage':{'inputTokens':3,'outputTokens':4,'totalTokens':7}}"));
      assertThat(response.outputTokens()).isEqualTo(4);
    }

    @Test
    void aVideoBlockIsUntranslatable() {
      assertThatThrownBy(
              () ->
                  nova.request(
                      json("{'messages':[{'role':'user','content':[{'video':{}}]}]}"), MODEL))
          .isInstanceOf(UntranslatableInputException.class)
          .hasMessageStartingWith(
              "modelInput.messages[0].content[0]: a content block of type video");
    }
  }

  @Nested
  class MetaLlama {
    private final BedrockBodyTranslator llama = translator("meta.llama3-1-8b-instruct-v1:0");

    @Test
    void theTemplatedPromptBecomesMessages() {
      UpstreamRequest request =
          llama.request(
              json(
                  "{'prompt':'<|begin_of_text|><|start_header_id|>system"
                      + "<|end_header_id|>\\n\\nBe kind.<|eot_id|><|start_header_id|>user<|end_header_id|>\\n\\nHello?<|eot_id|>"
                      + "<|start_header_id|>assistant<|end_header_id|>\\n\\n','max_gen_len':128,'temperature':0.1}"),
              MODEL);

      assertThat(request.body())
          .isEqualTo(
              json(
                  "{'model':'served-model','messages':["
                      + "{'role':'system','content':'Be kind.'},{'role':'user','content':'Hello?'}],"
                      + "'max_tokens':128,'temperature':0.1}"));
    }

    @Test
    void theAnswerIsALlamaGenerationWithTokenCounts() {
      ModelResponse response = llama.response(json("{}"), chatAnswer("Hi", "length", 9, 128), 5);

      assertThat(body(response))
          .isEqualTo(
              json(
                  "{'generation':'Hi','prompt_token_count':9,"
                      + "'generation_token_count':128,'stop_reason':'length'}"));
    }

    @Test
    void imagesAreUntranslatable() {
      assertThat(
              json(errorLine("meta.llama3-2-11b-instruct-v1:0", "{'prompt':'x','images':['AAAA']}"))
                  .at("/error/errorMessage")
                  .asText())
          .startsWith(
              "modelInput.images: images given beside a prompt string"
                  + " cannot be sent to an OpenAI-compatible model server");
    }
  }

  @Nested
  class Mistral {
    private final BedrockBodyTranslator mistral = translator("mistral.mistral-7b-instruct-v0:2");

    @Test
    void theInstPromptBecomesMessagesAndAnswersInOutputs() {
      JsonNode input =
          json(
              "{'prompt':'<s>[INST] First [/INST] Answer</s><s>[INST] Second [/INST]',"
                  + "'max_tokens':50,'stop':['\\n\\n'],'top_k':5}");
      UpstreamRequest request = mistral.request(input, MODEL);

      assertThat(request.body())
          .isEqualTo(
              json(
                  "{'model':'served-model','messages':["
                      + "{'role':'user','content':'First'},{'role':'assistant','content':'Answer'},"
                      + "{'role':'user','content':'Second'}],'max_tokens':50,'stop':['\\n\\n']}"));
      ModelResponse response = mistral.response(input, chatAnswer("Third", "stop", 20, 2), 5);
      assertThat(body(response))
          .isEqualTo(json("{'outputs':[{'text':'Third','stop_reason':'stop'}]}"));
      assertThat(response.inputTokens()).isEqualTo(20);
      assertThat(response.outputTokens()).isEqualTo(2);
    }

    @Test
    void theChatFormAnswersInChoices() {
      JsonNode input =
          json(
              "{'messages':[{'role':'system','content':'S'},{'role':'user','content':'U'}],"
                  + "'max_tokens':9}");
      assertThat(mistral.request(input, MODEL).body())
          .isEqualTo(
              json(
                  "{'model':'served-model','messages':["
                      + "{'role':'system','content':'S'},{'role':'user','content':'U'}],'max_tokens':9}"));

      ModelResponse response = mistral.response(input, chatAnswer("A", "length", 5, 9), 5);
      assertThat(body(response))
          .isEqualTo(
              json(
                  "{'choices':[{'index':0,'message':{'role':'assistant',"
                      + "'content':'A'},'stop_reason':'length'}]}"));
    }
  }

  @Nested
  class AmazonTitanText {
    private final BedrockBodyTranslator titan = translator("amazon.titan-text-express-v1");

    @Test
    void inputTextIsOneUserMessageAndTheAnswerHasResults() {
      UpstreamRequest request =
          titan.request(
              json(
                  "{'inputText':'User: Hi\\nBot:','textGenerationConfig':{"
                      + "'maxTokenCount':100,'temperature':0,'topP':1,'stopSequences':['User:']}}"),
              MODEL);
      assertThat(request.body())
          .isEqualTo(
              json(
                  "{'model':'served-model','messages':[{'role':'user',"
                      + "'content':'User: Hi\\nBot:'}],'max_tokens':100,'temperature':0,'top_p':1,'stop':['User:']}"));

      ModelResponse response = titan.response(json("{}"), chatAnswer("Hello", "stop", 6, 2), 5);
      assertThat(body(response))
          .isEqualTo(
              json(
                  "{'inputTextTokenCount':6,'results':[{'tokenCount':2,"
                      + "'outputText':'Hello','completionReason':'FINISH'}]}"));
    }
  }

  @Nested
  class AmazonTitanEmbeddings {
    private final BedrockBodyTranslator embed = translator("amazon.titan-embed-text-v2:0");

    @Test
    void inputTextGoesToEmbeddingsAndTheVectorComesBackNormalized() {
      JsonNode input =
          json("{'inputText':'embed me','dimensions':256,'embeddingTypes':['binary','float']}");
      UpstreamRequest request = embed.request(input, MODEL);
      assertThat(request.path()).isEqualTo("/embeddings");
      assertThat(request.body())
          .isEqualTo(
              json(
                  "{'model':'served-model','input':'embed me',"
                      + "'encoding_format':'float','dimensions':256}"));

      ModelResponse response =
          embed.response(
              input,
              json(
                  "{'object':'list','data':[{'object':'embedding',"
                      + "'index':0,'embedding':[3.0,-4.0]}],'model':'m','usage':{'prompt_tokens':3,'total_tokens':3}}"),
              5);
      assertThat(body(response))
          .isEqualTo(
              json(
                  "{'embedding':[0.6,-0.8],'inputTextTokenCount':3,"
                      + "'embeddingsByType':{'float':[0.6,-0.8],'binary':[1,0]}}"));
      assertThat(response.inputTokens()).isEqualTo(3);
      assertThat(response.outputTokens()).isZero();
    }

    @Test
    void normalizeFalseKeepsTheServersVector() {
      JsonNode input = json("{'inputText':'x','normalize':false}");
      ModelResponse response =
          embed.response(
              input,
              json("{'data':[{'embedding':[3.0,-4.0]}]," + "'usage':{'prompt_tokens':1}}"),
              5);
      assertThat(body(response).get("embedding")).isEqualTo(json("[3.0,-4.0]"));
    }

    @Test
    void anAnswerWithoutAVectorIsMalformed() {
      assertThatThrownBy(() -> embed.response(json("{}"), json("{'data':[]}"), 5))
          .isInstanceOf(MalformedModelResponseException.class);
    }
  }

  @Nested
  class Converse {
    private final BedrockBodyTranslator converse =
        Translators.forJob(InvocationType.CONVERSE, "anything", null);

    @Test
    void aConverseBodyBecomesAChatRequestWithItsExtraFields() {
      UpstreamRequest request =
          converse.request(
              json(
                  "{'system':[{'text':'A'},{'cachePoint':{'type':'default'}},"
                      + "{'text':'B'}],'messages':[{'role':'user','content':[{'text':'Q'}]}],'inferenceConfig':{'maxTokens':"
                      + "32,'stopSequences':['x']},'additionalModelRequestFields':{'top_k':3},'requestMetadata':{'k':'v'}}"),
              MODEL);

      assertThat(request.body())
          .isEqualTo(
              json(
                  "{'model':'served-model','messages':["
                      + "{'role':'system','content':'A\\n\\nB'},{'role':'user','content':'Q'}],'max_tokens':32,'stop':['x'],"
                      + "'top_k':3}"));
    }

    @Test
    void theAnswerIsAConverseResponseWithUsageAndLatency() {
      ModelResponse response =
          converse.response(json("{}"), chatAnswer("R", "content_filter", 10, 1), 42);

      assertThat(body(response))
          .isEqualTo(
              json(
                  "{'output':{'message':{'role':'assistant','content':[{'text':'R'}]}},"
                      + "'stopReason':'content_filtered','usage':{'inputTokens':10,'outputTokens':1,'totalTokens':11},"
                      + "'metrics':{'latencyMs':42}}"));
    }

    @Test
    void batchConverseRulesStillApplyAndGuardrailsAreUntranslatable() {
      assertThatThrownBy(
              () ->
                  converse.request(
                      json(
                          "{'toolConfig':{},'messages':[{'role':'user','content':"
                              + "[{'text':'x'}]}]}"),
                      MODEL))
          .hasMessage("toolConfig is not supported in batch Converse");
      assertThatThrownBy(
              () ->
                  converse.request(
                      json(
                          "{'guardrailConfig':{},'messages':[{'role':'user','content':"
                              + "[{'text':'x'}]}]}"),
                      MODEL))
          .isInstanceOf(UntranslatableInputException.class);
      assertThatThrownBy(
              () ->
                  converse.request(
                      json("{'messages':[{'role':'user','content':[{'document':{}}]}]}"), MODEL))
          .hasMessageContaining("a content block of type document cannot be sent");
    }

    @Test
    void anAnswerOfToolCallsIsMalformed() {
      assertThatThrownBy(
              () ->
                  converse.response(
                      json("{}"),
                      json(
                          "{'choices':[{'message':{'role':'assistant',"
                              + "'content':null,'tool_calls':[{'id':'1'}]},'finish_reason':'tool_calls'}]}"),
                      1))
          .isInstanceOf(MalformedModelResponseException.class)
          .hasMessageContaining("tool calls");
    }
  }

  @Test
  void aFamilyWithoutTranslatorIsRefusedByName() {
    assertThatThrownBy(() -> translator("cohere.command-r-v1:0"))
        .hasMessageContaining("cohere.command-r-v1:0")
        .hasMessageContaining("meta.llama");
    assertThat(Translators.forJob(InvocationType.INVOKE_MODEL, "llama3.1:8b", "meta.llama"))
        .isInstanceOf(LlamaTranslator.class);
  }
}
