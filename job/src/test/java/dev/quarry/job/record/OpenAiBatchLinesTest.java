package dev.quarry.job.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.spec.RecordFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** OpenAI Batch API request lines read, and output lines written, as OpenAI documents them. */
class OpenAiBatchLinesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "s3://files/123456789012/files/file-abc.jsonl";
  private static final RecordParser PARSER =
      new RecordParser(10_000, RecordFormat.OPENAI_CHAT_COMPLETIONS);
  private static final OutputLines LINES =
      OutputLines.of(
          JobSpec.builder()
              .jobId("abcdefabcdef")
              .inputUri(FILE)
              .outputUri("s3://files/out/")
              .modelId("m")
              .recordFormat(RecordFormat.OPENAI_CHAT_COMPLETIONS)
              .build());

  private static BatchRecord parse(long line, String text) {
    byte[] bytes = text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    return PARSER.parse(SourceLine.line(FILE, line, bytes, bytes.length));
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void aRequestLineIsItsCustomIdAndItsBody() {
    BatchRecord r =
        parse(
            3,
            "{'custom_id':'req-1','method':'POST','url':'/v1/chat/completions',"
                + "'body':{'model':'m','messages':[{'role':'user','content':'hi'}]}}");
    assertThat(r.kind).isEqualTo(RecordKind.RECORD);
    assertThat(r.recordId).isEqualTo("req-1");
    assertThat(r.modelInput)
        .isEqualTo("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void aLineThatCannotBeSentSaysWhy() {
    assertThat(parse(1, "{'method':'POST','url':'/v1/chat/completions','body':{}}").errorMessage)
        .isEqualTo("Line 1: custom_id is required and must be a non-empty string");
    assertThat(
            parse(2, "{'custom_id':'a','method':'GET','url':'/v1/chat/completions','body':{}}")
                .errorMessage)
        .isEqualTo("Line 2: method must be POST");
    BatchRecord wrongUrl =
        parse(3, "{'custom_id':'b','method':'POST','url':'/v1/embeddings','body':{}}");
    assertThat(wrongUrl.kind).isEqualTo(RecordKind.INVALID);
    assertThat(wrongUrl.recordId).isEqualTo("b");
    assertThat(wrongUrl.errorMessage)
        .isEqualTo(
            "Line 3: url must be the batch's endpoint /v1/chat/completions, as on every line");
    assertThat(
            parse(4, "{'custom_id':'c','method':'POST','url':'/v1/chat/completions','body':[]}")
                .errorMessage)
        .isEqualTo("Line 4: body is required and must be a JSON object");
  }

  @Test
  void anAnswerIsAResponseWithStatus200AndTheBodyAsItCame() throws Exception {
    BatchRecord r = BatchRecord.record(FILE, 7, "req-7", "{}");
    String text = LINES.success(r, "{\"object\":\"chat.completion\",\"n\":1.50}", "req_upstream");
    assertThat(text).contains("\"body\":{\"object\":\"chat.completion\",\"n\":1.50}");
    JsonNode line = json(text);
    assertThat(line.get("id").asText()).matches("batch_req_[0-9a-f]{32}");
    assertThat(line.get("custom_id").asText()).isEqualTo("req-7");
    assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
    assertThat(line.at("/response/request_id").asText()).isEqualTo("req_upstream");
    assertThat(line.get("error").isNull()).isTrue();
    assertThat(json(LINES.success(r, "{}", null)).get("id"))
        .as("the same line has the same id when written again")
        .isEqualTo(line.get("id"));
    assertThat(json(LINES.success(BatchRecord.record(FILE, 8, "x", "{}"), "{}", null)).get("id"))
        .isNotEqualTo(line.get("id"));
  }

  @Test
  void aFailedCallIsAResponseWithItsStatusAndOpenAisErrorBody() throws Exception {
    JsonNode line =
        json(LINES.failure(BatchRecord.record(FILE, 2, "req-2", "{}"), 429, "Slow down"));
    assertThat(line.at("/response/status_code").asInt()).isEqualTo(429);
    assertThat(line.at("/response/request_id").asText()).startsWith("req_");
    assertThat(line.at("/response/body/error/message").asText()).isEqualTo("Slow down");
    assertThat(line.at("/response/body/error/type").asText()).isEqualTo("requests");
    assertThat(line.at("/response/body/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(line.at("/response/body/error/param").isNull()).isTrue();
    assertThat(line.get("error").isNull()).isTrue();
    JsonNode refused =
        json(LINES.failure(BatchRecord.record(FILE, 3, "req-3", "{}"), 400, "Bad input"));
    assertThat(refused.at("/response/body/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(refused.at("/response/body/error/code").isNull()).isTrue();
  }

  @Test
  void aLineNeverSentHasNoResponseAndAnError() throws Exception {
    BatchRecord invalid = parse(5, "{'custom_id':'d','method':'PUT'}");
    JsonNode line = json(LINES.invalid(invalid));
    assertThat(line.get("custom_id").asText()).isEqualTo("d");
    assertThat(line.get("response").isNull()).isTrue();
    assertThat(line.at("/error/code").asText()).isEqualTo("invalid_request");
    assertThat(line.at("/error/message").asText()).isEqualTo("Line 5: method must be POST");
  }
}
