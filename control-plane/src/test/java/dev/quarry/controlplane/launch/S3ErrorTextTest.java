package dev.quarry.controlplane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3ErrorTextTest {
  @Test
  void sThreesOwnWordsBecomeItsErrorCode() {
    String raw =
        "Recovery is suppressed (cause: getFileStatus on s3a://out/x/: com.amazonaws.services.s3.model."
            + "AmazonS3Exception: User: arn:aws:iam::111122223333:user/other is not authorized to perform s3:PutObject "
            + "because of bucket policy Deny-All (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; "
            + "Request ID: 4D8F9219E70EA936; S3 Extended Request ID: abc=; Proxy: null))";
    String redacted = S3ErrorText.redact(raw);
    assertThat(redacted)
        .isEqualTo(
            "Recovery is suppressed (cause: getFileStatus on s3a://out/x/: com.amazonaws."
                + "services.s3.model.AmazonS3Exception: S3 error AccessDenied (HTTP 403))");
    assertThat(
            S3ErrorText.redact(
                "The specified bucket does not exist (Service: S3, Status Code: 404, "
                    + "Error Code: NoSuchBucket, Request ID: X)"))
        .isEqualTo("S3 error NoSuchBucket (HTTP 404)");
  }

  @Test
  void otherMessagesAreLeftAlone() {
    assertThat(S3ErrorText.redact("Connection refused: 127.0.0.1:9"))
        .isEqualTo("Connection refused: 127.0.0.1:9");
    assertThat(S3ErrorText.redact(null)).isNull();
    String noS3 = "(Service: Bedrock, Status Code: 400)";
    assertThat(S3ErrorText.redact(noS3)).isEqualTo(noS3);
  }
}
