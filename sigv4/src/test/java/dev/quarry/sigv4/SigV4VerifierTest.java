package dev.quarry.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The verifier against AWS's published SigV4 test suite vector "get-vanilla", and its refusals. */
class SigV4VerifierTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String VANILLA =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
          + "aws4_request, SignedHeaders=host;x-amz-date, "
          + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");

  private final SigV4Verifier verifier =
      new SigV4Verifier(
          "service",
          "us-east-1",
          SecretKeys.of(Map.of("AKIDEXAMPLE", SECRET)),
          Duration.ofMinutes(5),
          false);

  private static Function<String, List<String>> headers(String authorization) {
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.put("Host", List.of("example.amazonaws.com"));
    h.put("X-Amz-Date", List.of("20150830T123600Z"));
    if (authorization != null) {
      h.put("Authorization", List.of(authorization));
    }
    return name -> h.getOrDefault(name, List.of());
  }

  @Test
  void acceptsTheAwsTestSuiteVector() {
    SigV4Authorization auth = verifier.verify("GET", "/", headers(VANILLA), new byte[0], SIGNED_AT);
    assertThat(auth.accessKeyId()).isEqualTo("AKIDEXAMPLE");
  }

  @Test
  void refusesAChangedRequestOrSecret() {
    assertThatThrownBy(
            () -> verifier.verify("GET", "/?a=b", headers(VANILLA), new byte[0], SIGNED_AT))
        .isInstanceOf(SigV4Exception.class)
        .hasMessageStartingWith("The request signature we calculated")
        .extracting(e -> ((SigV4Exception) e).errorCode())
        .isEqualTo("InvalidSignatureException");
    assertThatThrownBy(
            () -> verifier.verify("GET", "/", headers(VANILLA), new byte[] {1}, SIGNED_AT))
        .hasMessageStartingWith("The request signature we calculated");
    SigV4Verifier otherSecret =
        new SigV4Verifier(
            "service",
            "us-east-1",
            SecretKeys.of(Map.of("AKIDEXAMPLE", SECRET + "x")),
            null,
            false);
    assertThatThrownBy(
            () -> otherSecret.verify("GET", "/", headers(VANILLA), new byte[0], SIGNED_AT))
        .hasMessageStartingWith("The request signature we calculated");
  }

  @Test
  void answersMissingAndUnknownKeysAsAws() {
    assertThatThrownBy(() -> verifier.verify("GET", "/", headers(null), new byte[0], SIGNED_AT))
        .hasMessage("Missing Authentication Token")
        .extracting(e -> ((SigV4Exception) e).errorCode())
        .isEqualTo("MissingAuthenticationTokenException");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    "GET",
                    "/",
                    headers(VANILLA.replace("AKIDEXAMPLE", "AKIDOTHER")),
                    new byte[0],
                    SIGNED_AT))
        .hasMessage("The security token included in the request is invalid.")
        .extracting(e -> ((SigV4Exception) e).errorCode())
        .isEqualTo("UnrecognizedClientException");
  }

  @Test
  void refusesOtherScopes() {
    SigV4Verifier west =
        new SigV4Verifier(
            "service", "us-west-2", SecretKeys.of(Map.of("AKIDEXAMPLE", SECRET)), null, false);
    assertThatThrownBy(() -> west.verify("GET", "/", headers(VANILLA), new byte[0], SIGNED_AT))
        .hasMessageContaining("region");
    SigV4Verifier bedrock =
        new SigV4Verifier(
            "bedrock", null, SecretKeys.of(Map.of("AKIDEXAMPLE", SECRET)), null, false);
    assertThatThrownBy(() -> bedrock.verify("GET", "/", headers(VANILLA), new byte[0], SIGNED_AT))
        .hasMessageContaining("'bedrock'");
  }

  @Test
  void refusesRequestsSignedMoreThanFiveMinutesAwayInWordsAsAws() {
    assertThat(
            verifier.verify("GET", "/", headers(VANILLA), new byte[0], SIGNED_AT.plusSeconds(300)))
        .isNotNull();
    assertThatThrownBy(
            () ->
                verifier.verify(
                    "GET", "/", headers(VANILLA), new byte[0], SIGNED_AT.plusSeconds(301)))
        .hasMessage(
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
                + "(20150830T124101Z - 5 min.)");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    "GET", "/", headers(VANILLA), new byte[0], SIGNED_AT.minusSeconds(301)))
        .hasMessage(
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z "
                + "(20150830T123059Z + 5 min.)");
  }

  @Test
  void decodesQueryEscapesAsUtf8() {
    assertThat(SigV4Verifier.decode("a%C3%A9+b%2")).isEqualTo("aé+b%2");
    assertThat(SigV4Verifier.encode("é /", true)).isEqualTo("%C3%A9%20/");
  }
}
