package dev.quarry.job.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode parse(String line) throws Exception {
    assertThat(line).doesNotContain("\n").doesNotContain("\r");
    return JSON.readTree(line);
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void successLineIsExactlyBedrocksShape() throws Exception {
    String line = OutputLine.success("r1", "{\"a\":[1,2]}", "{\"content\":[{\"text\":\"hi\"}]}");
    assertThat(line)
        .isEqualTo(
            "{\"recordId\":\"r1\",\"modelInput\":{\"a\":[1,2]},\"modelOutput\":{\"content\":[{\"text\":\"hi\"}]}}");
    JsonNode node = parse(line);
    assertThat(keys(node)).containsExactly("recordId", "modelInput", "modelOutput");
    assertThat(node.get("modelInput").isObject()).isTrue();
    assertThat(node.get("modelOutput").isObject()).isTrue();
  }

  @Test
  void errorLineIsExactlyBedrocksShape() throws Exception {
    String line = OutputLine.error("r2", "{\"a\":1}", 429, "Too many requests");
    assertThat(line)
        .isEqualTo(
            "{\"recordId\":\"r2\",\"modelInput\":{\"a\":1},\"error\":{\"errorCode\":429,\"errorMessage\":\"Too many requests\"}}");
    JsonNode node = parse(line);
    assertThat(keys(node)).containsExactly("recordId", "modelInput", "error");
    assertThat(keys(node.get("error"))).containsExactly("errorCode", "errorMessage");
    assertThat(node.get("error").get("errorCode").isInt()).isTrue();
    assertThat(node.get("error").get("errorCode").intValue()).isEqualTo(429);
    assertThat(node.get("error").get("errorMessage").isTextual()).isTrue();
  }

  @Test
  void errorLineWithoutModelInputHasJsonNull() throws Exception {
    String line = OutputLine.error("r3", null, 400, "Line 3: record has no modelInput");
    assertThat(line)
        .isEqualTo(
            "{\"recordId\":\"r3\",\"modelInput\":null,"
                + "\"error\":{\"errorCode\":400,\"errorMessage\":\"Line 3: record has no modelInput\"}}");
    JsonNode node = parse(line);
    assertThat(node.has("modelInput")).isTrue();
    assertThat(node.get("modelInput").isNull()).isTrue();
  }

  @Test
  void nullErrorMessageBecomesEmptyString() throws Exception {
    JsonNode node = parse(OutputLine.error("r", "{}", 500, null));
    assertThat(node.get("error").get("errorMessage").isTextual()).isTrue();
    assertThat(node.get("error").get("errorMessage").asText()).isEmpty();
  }

  @Test
  void successWithNullModelOutputHasJsonNull() throws Exception {
    JsonNode node = parse(OutputLine.success("r", "{}", null));
    assertThat(node.get("modelOutput").isNull()).isTrue();
  }

  @Test
  void messagesAndIdsAreEscaped() throws Exception {
    String message = "bad \"quote\"\nnew line\r\ttab \\ back \u0001 ctl é 日本";
    String id = "id \"1\"\n";
    String line = OutputLine.error(id, "{\"p\":\"x\"}", 400, message);
    assertThat(line)
        .contains("\\\"quote\\\"")
        .contains("\\n")
        .contains("\\r")
        .contains("\\t")
        .contains("\\\\")
        .contains("\\u0001");
    JsonNode node = parse(line);
    assertThat(node.get("recordId").asText()).isEqualTo(id);
    assertThat(node.get("error").get("errorMessage").asText()).isEqualTo(message);
  }

  @Test
  void successLineEmbedsNestedJsonWithItsEscapes() throws Exception {
    String input = "{\"p\":\"say \\\"hi\\\"\\n\"}";
    String output = "{\"t\":\"a\\nb\",\"n\":1.5,\"arr\":[null,true]}";
    JsonNode node = parse(OutputLine.success("r", input, output));
    assertThat(node.get("modelInput").get("p").asText()).isEqualTo("say \"hi\"\n");
    assertThat(node.get("modelOutput").get("t").asText()).isEqualTo("a\nb");
    assertThat(node.get("modelOutput").toString()).isEqualTo(output);
  }
}
