package dev.quarry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.controlplane.testing.SignedHttp;
import dev.quarry.job.testing.Corpus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrock.model.ThrottlingException;

/** What one account may ask of a shared control plane: requests per second, and jobs waiting. */
class AccountQuotaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anAccountOverItsRequestRateIsThrottledAndOthersAreNot(@TempDir Path dir) throws Exception {
    // 5 at once, then one every 20 s: the sixth request in a row is over, however slow this machine
    // is
    AccessKey other = ControlPlaneFixture.createKey(dir, "222233334444");
    try (ControlPlaneFixture quarry =
        new ControlPlaneFixture(
            dir,
            Map.of(
                "quarry.api.account-requests-per-second",
                "0.05",
                "quarry.api.account-request-burst",
                "5"))) {
      SignedHttp http = quarry.http();
      for (int i = 0; i < 5; i++) {
        assertThat(list(http, quarry).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> throttled = list(http, quarry);
      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.headers().firstValue("x-amzn-ErrorType"))
          .hasValue("ThrottlingException");
      JsonNode body = JSON.readTree(throttled.body());
      assertThat(body.path("message").asText())
          .startsWith("Too many requests, please wait before trying again.");

      // the SDK, told not to retry, sees the modeled exception
      try (BedrockClient noRetry =
          quarry.unretriedClient(quarry.key().accessKey(), quarry.key().secretKey())) {
        assertThatThrownBy(() -> noRetry.listModelInvocationJobs(r -> r.maxResults(1)))
            .isInstanceOf(ThrottlingException.class)
            .satisfies(e -> assertThat(((ThrottlingException) e).statusCode()).isEqualTo(429));
      }

      // another account has its own budget
      SignedHttp otherHttp = new SignedHttp(quarry.plane().endpoint(), other);
      assertThat(list(otherHttp, quarry).statusCode()).isEqualTo(200);

      // time refills the bucket: 20 s is one request
      quarry.clock.advance(Duration.ofSeconds(21));
      assertThat(list(http, quarry).statusCode()).isEqualTo(200);
      assertThat(list(http, quarry).statusCode()).isEqualTo(429);
    }
  }

  private static HttpResponse<String> list(SignedHttp http, ControlPlaneFixture quarry)
      throws Exception {
    return http.send(
        http.sign("GET", "/model-invocation-jobs?maxResults=1", "", quarry.clock), "GET", "");
  }

  @Test
  void anAccountWithTooManyJobsWaitingGetsServiceQuotaExceeded(@TempDir Path dir) throws Exception {
    AccessKey other = ControlPlaneFixture.createKey(dir, "222233334444");
    // one job runs (slowly: 1 call a second), the next two wait in Scheduled, a fourth is over the
    // quota
    try (ControlPlaneFixture quarry =
            new ControlPlaneFixture(
                dir,
                Map.of(
                    "quarry.jobs.max-running",
                    "1",
                    "quarry.jobs.max-queued-per-account",
                    "2",
                    "quarry.job.requests-per-minute",
                    "60"));
        BedrockClient b = quarry.clientFor(other)) {
      quarry.s3.createBucket("quota-in");
      quarry.s3.createBucket("quota-out");
      quarry.s3.put("quota-in", "long/a.jsonl", Corpus.file("long", 500));
      quarry.s3.put("quota-in", "short/a.jsonl", Corpus.file("short", 2));
      BedrockClient a = quarry.bedrock();
      String running = a.createModelInvocationJob(create("runs", "long", "t-run")).jobArn();
      quarry.await(
          running, r -> r.status() == ModelInvocationJobStatus.IN_PROGRESS, Duration.ofSeconds(60));
      String waiting1 = a.createModelInvocationJob(create("waits-1", "short", "t-w1")).jobArn();
      String waiting2 = a.createModelInvocationJob(create("waits-2", "short", "t-w2")).jobArn();
      quarry.await(
          waiting2, r -> r.status() == ModelInvocationJobStatus.SCHEDULED, Duration.ofSeconds(30));

      assertThatThrownBy(
              () -> a.createModelInvocationJob(create("one-too-many", "short", "t-over")))
          .isInstanceOf(ServiceQuotaExceededException.class)
          .hasMessageContaining("has 2 jobs waiting")
          .hasMessageContaining("the limit is 2")
          .satisfies(
              e -> assertThat(((ServiceQuotaExceededException) e).statusCode()).isEqualTo(400));
      // a retry of a Create that succeeded still answers its job
      assertThat(a.createModelInvocationJob(create("waits-1", "short", "t-w1")).jobArn())
          .isEqualTo(waiting1);
      // another account's queue is its own
      String others = b.createModelInvocationJob(create("b-waits", "short", "t-b")).jobArn();
      assertThat(others).contains(":222233334444:");

      // a queued job that ends makes room
      a.stopModelInvocationJob(r -> r.jobIdentifier(waiting2));
      quarry.await(
          waiting2, r -> r.status() == ModelInvocationJobStatus.STOPPED, Duration.ofSeconds(30));
      assertThat(a.createModelInvocationJob(create("fits-now", "short", "t-over")).jobArn())
          .isNotEmpty();
      a.stopModelInvocationJob(r -> r.jobIdentifier(running));
    }
  }

  private static software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest
      create(String name, String input, String token) {
    return ControlPlaneFixture.jobRequest(
            name, "s3://quota-in/" + input + "/", "s3://quota-out/" + name + "/")
        .clientRequestToken(token)
        .build();
  }
}
