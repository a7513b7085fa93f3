package dev.quarry.controlplane.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonLinesSampleTest {
  @Test
  void oneJsonObjectAmongTheSampleMakesAFileJsonLines() {
    JsonLinesSample sample = new JsonLinesSample(10);
    for (int line = 1; line <= 9; line++) {
      sample.add(line, "not valid JSON");
    }
    sample.add(10, null);
    assertThat(sample.full()).isTrue();
    assertThat(sample.rejection("s3://in/a.jsonl")).isEmpty();
  }

  @Test
  void noJsonObjectInTheSampleRejectsTheFileNamingItAndTheFirstProblems() {
    JsonLinesSample sample = new JsonLinesSample(10);
    for (int line = 1; line <= 10; line++) {
      sample.add(line * 2, "problem " + line);
    }
    assertThat(sample.rejection("s3://in/a.jsonl"))
        .contains(
            "s3://in/a.jsonl is not JSON Lines: none of its first"
                + " 10 non-blank lines is a JSON object (line 2: problem 1; line 4: problem 2; line 6: problem 3; …)");
  }

  @Test
  void aShortFileIsJudgedByTheLinesItHas() {
    JsonLinesSample one = new JsonLinesSample(10);
    one.add(3, "not a JSON object");
    assertThat(one.full()).isFalse();
    assertThat(one.rejection("f"))
        .contains(
            "f is not JSON Lines: its only non-blank line is not a JSON object"
                + " (line 3: not a JSON object)");
    assertThat(new JsonLinesSample(10).rejection("empty"))
        .as("an empty file has nothing to judge")
        .isEmpty();
  }

  @Test
  void theSampleHasAtLeastOneLine() {
    assertThatThrownBy(() -> new JsonLinesSample(0)).hasMessageContaining("at least 1");
  }
}
