package dev.quarry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.testing.Corpus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobSummary;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * Two accounts on one control plane, through the real SDK: each sees, stops and tags only its own
 * jobs; another account's job answers exactly as a job that does not exist; a key's jobs read and
 * write only under its allow-lists; {@code s3BucketOwner} must name the bucket's owner.
 */
class AccountIsolationTest {
  static final String ACCOUNT_A = "123456789012";
  static final String ACCOUNT_B = "222233334444";
  static final String SHARED_BUCKET_OWNER = "999988887777";

  @TempDir static Path dataDir;
  static ControlPlaneFixture quarry;
  static BedrockClient a;
  static BedrockClient b;
  static AccessKey teamKey;
  static AccessKey emptyKey;

  @BeforeAll
  static void start() throws Exception {
    AccessKey keyB = ControlPlaneFixture.createKey(dataDir, ACCOUNT_B);
    teamKey =
        ControlPlaneFixture.createKey(
            dataDir,
            ACCOUNT_B,
            List.of("s3://iso-in/team-c/", "s3://iso-shared"),
            List.of("s3://iso-out/team-c/"));
    emptyKey = ControlPlaneFixture.createKey(dataDir, ACCOUNT_B, List.of(), List.of());
    quarry =
        new ControlPlaneFixture(
            dataDir, Map.of("quarry.access.bucket-owners", "iso-shared=" + SHARED_BUCKET_OWNER));
    a = quarry.bedrock();
    b = quarry.clientFor(keyB);
    quarry.s3.createBucket("iso-in");
    quarry.s3.createBucket("iso-out");
    quarry.s3.createBucket("iso-shared");
    quarry.s3.put("iso-in", "a/in.jsonl", Corpus.file("a", 3));
    quarry.s3.put("iso-in", "team-c/in.jsonl", Corpus.file("c", 3));
  }

  @AfterAll
  static void stop() {
    b.close();
    quarry.close();
  }

  private static CreateModelInvocationJobRequest.Builder request(
      String name, String input, String output) {
    return ControlPlaneFixture.jobRequest(name, input, output);
  }

  @Test
  void anotherAccountsJobDoesNotExistForTheCaller() throws Exception {
    String arn =
        a.createModelInvocationJob(
                request("owned-by-a", "s3://iso-in/a/", "s3://iso-out/a/")
                    .tags(Tag.builder().key("team").value("a").build())
                    .build())
            .jobArn();
    String jobId = arn.substring(arn.lastIndexOf('/') + 1);
    assertThat(arn).startsWith("arn:aws:bedrock:us-east-1:" + ACCOUNT_A + ":model-invocation-job/");

    for (String identifier : List.of(arn, jobId)) {
      assertNotFound(() -> b.getModelInvocationJob(r -> r.jobIdentifier(identifier)), jobId);
      assertNotFound(() -> b.stopModelInvocationJob(r -> r.jobIdentifier(identifier)), jobId);
    }
    assertNotFound(() -> b.listTagsForResource(r -> r.resourceARN(arn)), arn);
    assertNotFound(
        () ->
            b.tagResource(r -> r.resourceARN(arn).tags(Tag.builder().key("x").value("y").build())),
        arn);
    assertNotFound(() -> b.untagResource(r -> r.resourceARN(arn).tagKeys("team")), arn);
    // the same id under B's account in the ARN is not A's job either
    String forged = arn.replace(ACCOUNT_A, ACCOUNT_B);
    assertNotFound(() -> b.getModelInvocationJob(r -> r.jobIdentifier(forged)), jobId);
    assertNotFound(() -> a.getModelInvocationJob(r -> r.jobIdentifier(forged)), jobId);
    // answered exactly as a job that does not exist at all
    HttpResponse<String> missing =
        quarry.http().send("GET", "/model-invocation-job/zzzzzzzzzzzz", "");
    assertThat(missing.statusCode()).isEqualTo(404);

    assertThat(
            b
                .listModelInvocationJobsPaginator(r -> r.maxResults(1))
                .invocationJobSummaries()
                .stream()
                .map(ModelInvocationJobSummary::jobArn))
        .doesNotContain(arn);
    assertThat(
            a
                .listModelInvocationJobsPaginator(r -> r.maxResults(1))
                .invocationJobSummaries()
                .stream()
                .map(ModelInvocationJobSummary::jobArn))
        .contains(arn)
        .allSatisfy(each -> assertThat(each).contains(":" + ACCOUNT_A + ":"));

    // nothing B tried changed A's job
    assertThat(a.listTagsForResource(r -> r.resourceARN(arn)).tags())
        .containsExactly(Tag.builder().key("team").value("a").build());
    ModelInvocationJobStatus status =
        quarry
            .await(
                arn,
                ControlPlaneFixture.statusIn(
                    ModelInvocationJobStatus.COMPLETED, ModelInvocationJobStatus.FAILED),
                Duration.ofSeconds(60))
            .status();
    assertThat(status).isEqualTo(ModelInvocationJobStatus.COMPLETED);
  }

  @Test
  void aClientRequestTokenBelongsToItsAccount() {
    String token = "same-token-in-two-accounts";
    String arnA =
        a.createModelInvocationJob(
                request("token-a", "s3://iso-in/a/", "s3://iso-out/ta/")
                    .clientRequestToken(token)
                    .build())
            .jobArn();
    String arnB =
        b.createModelInvocationJob(
                request("token-b", "s3://iso-in/a/", "s3://iso-out/tb/")
                    .clientRequestToken(token)
                    .build())
            .jobArn();
    assertThat(arnB).isNotEqualTo(arnA).contains(":" + ACCOUNT_B + ":");
    // each account's retry returns its own job
    assertThat(
            a.createModelInvocationJob(
                    request("token-a", "s3://iso-in/a/", "s3://iso-out/ta/")
                        .clientRequestToken(token)
                        .build())
                .jobArn())
        .isEqualTo(arnA);
    assertThat(
            b.createModelInvocationJob(
                    request("token-b", "s3://iso-in/a/", "s3://iso-out/tb/")
                        .clientRequestToken(token)
                        .build())
                .jobArn())
        .isEqualTo(arnB);
    assertThat(b.getModelInvocationJob(r -> r.jobIdentifier(arnB)).jobName()).isEqualTo("token-b");
  }

  @Test
  void createIsRefusedOutsideTheKeysAllowLists() {
    try (BedrockClient team = quarry.clientFor(teamKey);
        BedrockClient none = quarry.clientFor(emptyKey)) {
      String ok =
          team.createModelInvocationJob(
                  request("team-ok", "s3://iso-in/team-c/", "s3://iso-out/team-c/r/").build())
              .jobArn();
      assertThat(ok).contains(":" + ACCOUNT_B + ":");
      // "." resolves inside the prefix: allowed (Bedrock's own pattern already refuses "//")
      team.createModelInvocationJob(
          request("team-dots", "s3://iso-in/team-c/./in.jsonl", "s3://iso-out/team-c/d/").build());

      assertDenied(
          () ->
              team.createModelInvocationJob(
                  request("in-elsewhere", "s3://iso-in/a/", "s3://iso-out/team-c/").build()),
          "may not read s3://iso-in/a/");
      assertDenied(
          () ->
              team.createModelInvocationJob(
                  request("dot-dot", "s3://iso-in/team-c/../a/", "s3://iso-out/team-c/").build()),
          "may not read s3://iso-in/team-c/../a/");
      assertDenied(
          () ->
              team.createModelInvocationJob(
                  request("out-elsewhere", "s3://iso-in/team-c/", "s3://iso-out/a/").build()),
          "may not write s3://iso-out/a/");
      // a prefix is matched as text: team-c does not cover team-cd
      assertDenied(
          () ->
              team.createModelInvocationJob(
                  request("sibling", "s3://iso-in/team-cd/", "s3://iso-out/team-c/").build()),
          "may not read s3://iso-in/team-cd/");
      assertDenied(
          () ->
              none.createModelInvocationJob(
                  request("nothing", "s3://iso-in/a/", "s3://iso-out/a/").build()),
          "its allow-input list is empty");
    }
  }

  @Test
  void s3BucketOwnerMustNameTheBucketsOwner() {
    try (BedrockClient team = quarry.clientFor(teamKey)) {
      Consumer<String> createWithOwner =
          owner ->
              team.createModelInvocationJob(
                  request("owner-" + owner, "s3://iso-shared/in/", "s3://iso-out/team-c/o/")
                      .inputDataConfig(
                          c ->
                              c.s3InputDataConfig(
                                  s -> s.s3Uri("s3://iso-shared/in/").s3BucketOwner(owner)))
                      .build());
      createWithOwner.accept(SHARED_BUCKET_OWNER);
      assertDenied(
          () -> createWithOwner.accept(ACCOUNT_B),
          "inputDataConfig.s3InputDataConfig.s3BucketOwner " + ACCOUNT_B + " is not the owner");

      // a bucket not listed belongs to the caller's own account
      team.createModelInvocationJob(
          request("own", "s3://iso-in/team-c/", "s3://iso-out/team-c/p/")
              .outputDataConfig(
                  c ->
                      c.s3OutputDataConfig(
                          s -> s.s3Uri("s3://iso-out/team-c/p/").s3BucketOwner(ACCOUNT_B)))
              .build());
      assertDenied(
          () ->
              team.createModelInvocationJob(
                  request("not-own", "s3://iso-in/team-c/", "s3://iso-out/team-c/q/")
                      .outputDataConfig(
                          c ->
                              c.s3OutputDataConfig(
                                  s -> s.s3Uri("s3://iso-out/team-c/q/").s3BucketOwner(ACCOUNT_A)))
                      .build()),
          "outputDataConfig.s3OutputDataConfig.s3BucketOwner " + ACCOUNT_A + " is not the owner");
    }
  }

  @Test
  void s3FailuresAreNamedNotQuoted() throws Exception {
    String noBucket =
        a.createModelInvocationJob(
                request("no-bucket", "s3://iso-no-such-bucket/in/", "s3://iso-out/nb/").build())
            .jobArn();
    String noOutput =
        a.createModelInvocationJob(
                request("no-out-bucket", "s3://iso-in/a/", "s3://iso-no-such-out/x/").build())
            .jobArn();
    String inputMessage =
        quarry
            .await(
                noBucket,
                r -> r.status() == ModelInvocationJobStatus.FAILED,
                Duration.ofSeconds(30))
            .message();
    String outputMessage =
        quarry
            .await(
                noOutput,
                r -> r.status() == ModelInvocationJobStatus.FAILED,
                Duration.ofSeconds(30))
            .message();
    System.out.println("input: " + inputMessage + "\noutput: " + outputMessage);
    assertThat(inputMessage)
        .contains("s3://iso-no-such-bucket/in/")
        .containsAnyOf("not found", "does not exist");
    assertThat(outputMessage)
        .startsWith("Cannot write output s3://iso-no-such-out/x/ to S3 at ")
        .endsWith(": not found");
    for (String message : List.of(inputMessage, outputMessage)) {
      assertThat(message)
          .doesNotContain("Exception")
          .doesNotContain("RequestId")
          .doesNotContain("<?xml")
          .doesNotContain("NoSuchBucket");
    }
  }

  private static void assertNotFound(Runnable call, String named) {
    assertThatThrownBy(call::run)
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining(named)
        .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(404));
  }

  private static void assertDenied(Runnable call, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining(messagePart)
        .satisfies(e -> assertThat(((AccessDeniedException) e).statusCode()).isEqualTo(403));
  }
}
