package dev.quarry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every request-field pattern accepts exactly the language of its Smithy text, and answers within a
 * bound for any input of the field's maximum length, including inputs built to make a backtracking
 * matcher try every split of an ambiguous run.
 */
class FieldPatternTest {
  /** The largest length each field accepts before its pattern is consulted. */
  private static final Map<String, Integer> MAX_LENGTH =
      Map.ofEntries(
          Map.entry("JOB_NAME", 63),
          Map.entry("ROLE_ARN", 2048),
          Map.entry("CLIENT_REQUEST_TOKEN", 256),
          Map.entry("MODEL_ID", 2048),
          Map.entry("S3_URI", 1024),
          Map.entry("ACCOUNT_ID", 12),
          Map.entry("KMS_KEY_ID", 2048),
          Map.entry("VPC_ID", 32),
          Map.entry("TAG_TEXT", 256),
          Map.entry("JOB_ARN", 1011),
          Map.entry("JOB_IDENTIFIER", 1011),
          Map.entry("NEXT_TOKEN", 2048));

  /**
   * Starts that get a matcher past the fixed parts of the patterns and into their repeated ones.
   */
  private static final List<String> PREFIXES =
      List.of(
          "",
          "a",
          "A0",
          "arn:aws:bedrock:us-east-1:",
          "arn:aws:bedrock:us-east-1::foundation-model/",
          "arn:aws:bedrock:us-east-1:123456789012:custom-model/a.",
          "arn:aws:bedrock:us-east-1:123456789012:inference-profile/",
          "arn:aws-",
          "arn:aws:iam::123456789012:role/",
          "arn:aws:kms:us-east-1:123456789012:alias/",
          "alias/",
          "s3://bucket/",
          "s3://b",
          "anthropic.",
          "a.b",
          "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/");

  /** Runs whose characters two parts of a pattern can both claim. */
  private static final List<String> UNITS =
      List.of(
          "-", "a", "a-", "-a", "a_", "_a", ".", "a.", "-.", ":a", "/a", "a/", " ", "+", "--a", "0",
          ":", "aa.");

  /** Characters that make the match fail at the very end. */
  private static final List<String> FAILING_ENDS = List.of("!", "\n", "~", "%", "\u00e9", "");

  private static final Map<String, List<String>> VALID =
      Map.ofEntries(
          Map.entry("JOB_NAME", List.of("valid-job", "a--b.c+d", "A", "x-", "a".repeat(63))),
          Map.entry(
              "ROLE_ARN",
              List.of("arn:aws:iam::123456789012:role/BatchRole", "arn:aws-cn:iam:::role/x")),
          Map.entry(
              "CLIENT_REQUEST_TOKEN",
              List.of("tok-1", "0a1b2c3d-4e5f-6789-abcd-ef0123456789", "a---b")),
          Map.entry(
              "MODEL_ID",
              List.of(
                  "anthropic.claude-3-haiku-20240307-v1:0",
                  "my_model-1",
                  "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1",
                  "arn:aws:bedrock:us-east-1:123456789012:custom-model/a.b:c/abcdefghijkl",
                  "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x.y:1",
                  "arn:aws:bedrock:us-east-1:a_b-c")),
          Map.entry(
              "S3_URI", List.of("s3://in-bucket/prefix/", "s3://abc", "s3://a.b-c/x/y(1)/z.jsonl")),
          Map.entry("ACCOUNT_ID", List.of("123456789012")),
          Map.entry(
              "KMS_KEY_ID",
              List.of(
                  "alias/my-key",
                  "12345678-1234-1234-1234-123456789012",
                  "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012")),
          Map.entry("VPC_ID", List.of("subnet-0abc", "sg-1")),
          Map.entry("TAG_TEXT", List.of("team", "a b:c/d=e+f@g-h_i.j", "")),
          Map.entry(
              "JOB_ARN",
              List.of("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghijkl")),
          Map.entry(
              "JOB_IDENTIFIER",
              List.of(
                  "abcdefghijkl",
                  "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghijkl")),
          Map.entry("NEXT_TOKEN", List.of("abc", "")));

  private static final String ALPHABET = "aZ0-_.+:/! \n~";

  @Test
  void everyPatternHasALengthBoundAndValidExamples() {
    assertThat(MAX_LENGTH.keySet()).isEqualTo(FieldRules.ALL.keySet());
    assertThat(VALID.keySet()).isEqualTo(FieldRules.ALL.keySet());
    FieldRules.ALL.forEach(
        (name, p) ->
            VALID
                .get(name)
                .forEach(v -> assertThat(p.matches(v)).as(name + " accepts " + v).isTrue()));
  }

  @Test
  void theAmbiguousPatternsAreCheckedByARewrite() {
    for (FieldPattern p :
        List.of(FieldRules.JOB_NAME, FieldRules.CLIENT_REQUEST_TOKEN, FieldRules.MODEL_ID)) {
      assertThat(p.checked().pattern()).isNotEqualTo(p.smithy());
    }
  }

  @Test
  void rewritesAcceptTheSmithyLanguageOnGeneratedStrings() {
    Random random = new Random(12);
    FieldRules.ALL.forEach(
        (name, p) -> {
          Pattern original = Pattern.compile(p.smithy());
          List<String> samples = new ArrayList<>();
          for (String valid : VALID.get(name)) {
            samples.add(valid);
            for (int i = 0; i < 2_000; i++) {
              samples.add(mutate(valid, random));
            }
          }
          for (int i = 0; i < 20_000; i++) {
            samples.add(fromFragments(random, 18));
          }
          int accepted = 0;
          for (String s : samples) {
            boolean expected = original.matcher(s).matches();
            assertThat(p.matches(s)).as(name + " on \"" + s + "\"").isEqualTo(expected);
            accepted += expected ? 1 : 0;
          }
          // the samples must exercise both sides of the language, or the comparison proves little
          assertThat(accepted).as(name + " accepted samples").isGreaterThan(VALID.get(name).size());
          assertThat(samples.size() - accepted).as(name + " rejected samples").isGreaterThan(1_000);
        });
  }

  /**
   * The rewrites do not depend on the repetition bounds, so with the bounds shrunk to 2 and 3 every
   * string up to length 8 over the relevant characters can be compared: this reaches the bounds,
   * where a long-bounded pattern would need strings too long for the original to answer.
   */
  @Test
  void rewritesWithSmallBoundsAgreeOnEveryShortString() {
    for (FieldPattern p : List.of(FieldRules.JOB_NAME, FieldRules.CLIENT_REQUEST_TOKEN)) {
      String bound = p == FieldRules.JOB_NAME ? "63" : "256";
      Pattern original =
          Pattern.compile(
              p.smithy()
                  .replace("{1," + bound + "}", "{1,2}")
                  .replace("{0," + bound + "}", "{0,3}"));
      Pattern rewrite =
          Pattern.compile(
              p.checked()
                  .pattern()
                  .replace("{1," + bound + "}", "{1,2}")
                  .replace("{0," + bound + "}", "{0,3}"));
      assertThat(rewrite.pattern()).contains("{1,2}+", "{0,3}+");
      char[] alphabet = "a-.+!".toCharArray();
      int[] agreed = new int[2];
      forEveryString(
          alphabet,
          8,
          s -> {
            boolean expected = original.matcher(s).matches();
            assertThat(rewrite.matcher(s).matches())
                .as(p.smithy() + " (small bounds) on \"" + s + "\"")
                .isEqualTo(expected);
            agreed[expected ? 1 : 0]++;
          });
      assertThat(agreed[1]).isGreaterThan(50);
    }
    Pattern modelOriginal = Pattern.compile("(([0-9a-zA-Z][_-]?)+)");
    Pattern modelRewrite = Pattern.compile("((?:[0-9a-zA-Z][_-]?+)++)");
    assertThat(FieldRules.MODEL_ID.checked().pattern()).contains(modelRewrite.pattern());
    forEveryString(
        "a_-!".toCharArray(),
        9,
        s ->
            assertThat(modelRewrite.matcher(s).matches())
                .as("model id unit run on \"" + s + "\"")
                .isEqualTo(modelOriginal.matcher(s).matches()));
  }

  @Test
  void adversarialInputsOfTheMaximumLengthAnswerPromptly() {
    Random random = new Random(7);
    FieldRules.ALL.forEach(
        (name, p) -> {
          int max = MAX_LENGTH.get(name);
          List<String> inputs = new ArrayList<>();
          for (String prefix : PREFIXES) {
            for (String unit : UNITS) {
              for (String end : FAILING_ENDS) {
                inputs.add(ofLength(prefix, unit, end, max));
              }
            }
          }
          for (int i = 0; i < 200; i++) {
            inputs.add(
                ofLength(
                    PREFIXES.get(random.nextInt(PREFIXES.size())),
                    fromFragments(random, 6) + "a",
                    FAILING_ENDS.get(random.nextInt(FAILING_ENDS.size())),
                    max));
          }
          inputs.add("a" + "-".repeat(61) + "!");
          for (String input : inputs) {
            // the fastest of three, so a GC pause on this shared machine is not mistaken for
            // backtracking
            long millis = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3 && millis >= 100; attempt++) {
              long start = System.nanoTime();
              p.matches(input);
              millis = Math.min(millis, (System.nanoTime() - start) / 1_000_000);
            }
            assertThat(millis)
                .as(name + " on " + input.length() + " chars \"" + input + "\"")
                .isLessThan(100);
          }
        });
  }

  private static String ofLength(String prefix, String unit, String end, int max) {
    StringBuilder b = new StringBuilder(prefix);
    while (b.length() + unit.length() + end.length() <= max) {
      b.append(unit);
    }
    return b.append(end).toString();
  }

  private static String fromFragments(Random random, int maxLength) {
    String[] fragments = {
      "a",
      "Z",
      "0",
      "-",
      "--",
      "_",
      ".",
      "+",
      ":",
      "/",
      "!",
      " ",
      "arn:aws",
      ":bedrock:",
      "us-east-1",
      "123456789012",
      ":foundation-model/",
      "custom-model/",
      "inference-profile/",
      ":iam::",
      "role/",
      ":kms:",
      "key/",
      "alias/",
      "s3://",
      "model-invocation-job/",
      "abcdefghijkl",
      "x.y"
    };
    StringBuilder b = new StringBuilder();
    int parts = random.nextInt(maxLength / 2 + 1);
    for (int i = 0; i < parts; i++) {
      b.append(fragments[random.nextInt(fragments.length)]);
    }
    return b.toString();
  }

  private static String mutate(String valid, Random random) {
    StringBuilder b = new StringBuilder(valid);
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits; i++) {
      int at = b.length() == 0 ? 0 : random.nextInt(b.length());
      char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      switch (random.nextInt(3)) {
        case 0 -> b.insert(at, c);
        case 1 -> {
          if (b.length() > 0) {
            b.deleteCharAt(at);
          }
        }
        default -> {
          if (b.length() > 0) {
            b.setCharAt(at, c);
          }
        }
      }
    }
    return b.toString();
  }

  private static void forEveryString(
      char[] alphabet, int maxLength, java.util.function.Consumer<String> check) {
    char[] buffer = new char[maxLength];
    for (int length = 0; length <= maxLength; length++) {
      int[] digits = new int[length];
      while (true) {
        for (int i = 0; i < length; i++) {
          buffer[i] = alphabet[digits[i]];
        }
        check.accept(new String(buffer, 0, length));
        int i = length - 1;
        while (i >= 0 && ++digits[i] == alphabet.length) {
          digits[i--] = 0;
        }
        if (i < 0) {
          break;
        }
      }
    }
  }
}
