package dev.quarry.controlplane.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class S3PrefixesTest {
  @Test
  void normalisingResolvesEmptyDotAndDotDotSegments() {
    assertThat(S3Prefixes.normalize("s3://b/a//b/./c/../d")).isEqualTo("s3://b/a/b/d");
    assertThat(S3Prefixes.normalize("s3://b/a/b/..")).isEqualTo("s3://b/a/");
    assertThat(S3Prefixes.normalize("s3://b/a/")).isEqualTo("s3://b/a/");
    assertThat(S3Prefixes.normalize("s3://b")).isEqualTo("s3://b/");
    assertThat(S3Prefixes.normalize("s3://b/a/../..")).isNull();
    assertThat(S3Prefixes.normalize("s3://b/../other/x")).isNull();
    assertThat(S3Prefixes.normalize("s3://b/a..b/.x")).isEqualTo("s3://b/a..b/.x");
  }

  @Test
  void aUriIsAllowedOnlyWhenItsTextAndItsNormalFormAreUnderAPrefix() {
    S3Prefixes team = new S3Prefixes(List.of("s3://data/team-a/", "s3://scratch"));
    assertThat(team.allows("s3://data/team-a/in.jsonl")).isTrue();
    assertThat(team.allows("s3://data/team-a/./x/../in.jsonl")).isTrue();
    assertThat(team.allows("s3://data/team-a/../team-b/in.jsonl"))
        .as("normalises outside")
        .isFalse();
    assertThat(team.allows("s3://data/team-b/../team-a/in.jsonl"))
        .as("literally outside")
        .isFalse();
    assertThat(team.allows("s3://data/team-a"))
        .as("the folder itself, without its slash")
        .isFalse();
    assertThat(team.allows("s3://data/team-ab/in.jsonl")).isFalse();
    assertThat(team.allows("s3://scratch")).isTrue();
    assertThat(team.allows("s3://scratch/any/thing")).isTrue();
    assertThat(team.allows("s3://scratch-2/any"))
        .as("a bucket prefix is the bucket, not a name prefix")
        .isFalse();
    assertThat(team.allows("s3://scratch/../data/team-b/x")).isFalse();
    assertThat(team.allows("https://data/team-a/in.jsonl")).isFalse();
  }

  @Test
  void sThreeAloneAllowsEverythingAndNothingAllowsNothing() {
    assertThat(new S3Prefixes(List.of("s3://")).allows("s3://any/../thing")).isTrue();
    assertThat(new S3Prefixes(List.of()).allows("s3://any/thing")).isFalse();
  }

  @Test
  void aPrefixMustBeAnS3Uri() {
    assertThatThrownBy(() -> new S3Prefixes(List.of("data/team-a/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://");
  }
}
