package dev.quarry.job.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratedRecordIdTest {

  @Test
  void elevenCharactersOfDigitsAndUpperCaseLetters() {
    for (long line = 1; line <= 2_000; line++) {
      String id = GeneratedRecordId.of("s3://bucket/in/a.jsonl", line);
      assertThat(id).hasSize(11).matches("[0-9A-Z]{11}");
    }
    assertThat(GeneratedRecordId.LENGTH).isEqualTo(11);
  }

  @Test
  void stableForTheSameFileAndLine() {
    assertThat(GeneratedRecordId.of("s3://bucket/in/a.jsonl", 7))
        .isEqualTo(GeneratedRecordId.of("s3://bucket/in/a.jsonl", 7));
  }

  /**
   * A restored (or upgraded) job must give a line the id it had before, so the derivation is
   * pinned.
   */
  @Test
  void derivationIsPinned() {
    assertThat(GeneratedRecordId.of("s3://bucket/in/a.jsonl", 1)).isEqualTo("PRPC8ZHL45F");
    assertThat(GeneratedRecordId.of("f", 3)).isEqualTo("LOZJYVJVWD6");
  }

  @Test
  void differsAcrossLinesAndFiles() {
    assertThat(GeneratedRecordId.of("s3://b/in/a.jsonl", 1))
        .isNotEqualTo(GeneratedRecordId.of("s3://b/in/a.jsonl", 2));
    assertThat(GeneratedRecordId.of("s3://b/in/a.jsonl", 1))
        .isNotEqualTo(GeneratedRecordId.of("s3://b/in/b.jsonl", 1));
    // The separator keeps ("a1", 1) and ("a", 11) apart.
    assertThat(GeneratedRecordId.of("a1", 1)).isNotEqualTo(GeneratedRecordId.of("a", 11));
  }

  @Test
  void noCollisionsAmongManyIds() {
    Set<String> ids = new HashSet<>();
    for (long line = 1; line <= 50_000; line++) {
      ids.add(GeneratedRecordId.of("s3://bucket/in/a.jsonl", line));
      ids.add(GeneratedRecordId.of("s3://bucket/in/nested/a.jsonl", line));
    }
    assertThat(ids).hasSize(100_000);
  }

  @Test
  void usesTheWholeAlphabet() {
    Set<Character> seen = new HashSet<>();
    for (long line = 1; line <= 500; line++) {
      for (char c : GeneratedRecordId.of("x", line).toCharArray()) {
        seen.add(c);
      }
    }
    assertThat(seen).hasSize(36);
  }
}
