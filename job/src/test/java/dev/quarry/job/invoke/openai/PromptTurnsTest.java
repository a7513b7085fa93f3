package dev.quarry.job.invoke.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.invoke.openai.PromptTurns.Turn;
import org.junit.jupiter.api.Test;

class PromptTurnsTest {

  @Test
  void aPlainPromptIsOneUserTurn() {
    assertThat(PromptTurns.of("Just a question"))
        .containsExactly(new Turn("user", "Just a question"));
  }

  @Test
  void llama2SystemBlockAndTurnsAreRead() {
    assertThat(
            PromptTurns.of(
                "<s>[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nHi [/INST] Hello </s><s>[INST] Bye [/INST]"))
        .containsExactly(
            new Turn("system", "Be kind."),
            new Turn("user", "Hi"),
            new Turn("assistant", "Hello"),
            new Turn("user", "Bye"));
  }

  @Test
  void llama3TurnsWithoutTheGenerationPrompt() {
    assertThat(
            PromptTurns.of(
                "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|>"
                    + "<|start_header_id|>assistant<|end_header_id|>\n\nA<|eot_id|><|start_header_id|>user<|end_header_id|>"
                    + "\n\nQ2<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"))
        .containsExactly(new Turn("user", "Q"), new Turn("assistant", "A"), new Turn("user", "Q2"));
  }
}
