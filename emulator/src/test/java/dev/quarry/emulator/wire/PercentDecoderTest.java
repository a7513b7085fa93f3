package dev.quarry.emulator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentDecoderTest {

  @Test
  void decodesEscapesAsUtf8AndKeepsPlusSigns() {
    assertThat(PercentDecoder.decode("arn%3Aaws%3Abedrock%3A%3Afoundation-model%2Fx.y"))
        .isEqualTo("arn:aws:bedrock::foundation-model/x.y");
    assertThat(PercentDecoder.decode("a+b")).isEqualTo("a+b");
    assertThat(PercentDecoder.decode("caf%C3%A9")).isEqualTo("café");
    assertThat(PercentDecoder.decode("plain")).isEqualTo("plain");
  }

  @Test
  void keepsMalformedEscapesVerbatim() {
    assertThat(PercentDecoder.decode("100%")).isEqualTo("100%");
    assertThat(PercentDecoder.decode("%zz%4")).isEqualTo("%zz%4");
  }
}
