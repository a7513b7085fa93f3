package dev.quarry.job.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompactJsonTest {

  private static String compact(String json) {
    return CompactJson.of(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void compactJsonIsLeftExactlyAsItIs() {
    String json = "{\"a\":1.50,\"b\":[1E+2,-0.0,12345678901234567890123],\"c\":\"x\"}";

    assertThat(compact(json)).isEqualTo(json);
  }

  @Test
  void whitespaceBetweenTokensGoesAndTokensStayAsWritten() {
    String pretty =
        "{\n  \"output\" : {\r\n\t\"text\" : \"two  spaces,\\n a \\\"quote\\\" and \\\\\"\n  },\n"
            + "  \"n\" : 1.10 , \"e\" : 2.5e-3, \"u\" : \"\\u00e9 é\"\n}\n";

    assertThat(compact(pretty))
        .isEqualTo(
            "{\"output\":{\"text\":\"two  spaces,\\n a \\\"quote\\\" and \\\\\"},\"n\":1.10,\"e\":2.5e-3,"
                + "\"u\":\"\\u00e9 é\"}");
  }
}
