package dev.quarry.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.controlplane.events.WebhookReceiver.Delivery;
import dev.quarry.controlplane.events.WebhookReceiver.Hang;
import dev.quarry.controlplane.events.WebhookReceiver.Status;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.testing.Corpus;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;

/**
 * Real jobs (the control plane with embedded Flink, S3Proxy and the emulator, driven by the AWS
 * SDK) announce every status change to real webhooks: in order, signed, in Bedrock's shape, through
 * failures of the webhook and a restart of the control plane.
 */
class JobEventsEndToEndTest {
  private static final String SECRET = "e2e-webhook-secret-" + System.nanoTime();
  private static final List<String> COMPLETED_RUN =
      List.of("Submitted", "Validating", "Scheduled", "InProgress", "Completed");

  @TempDir Path dir;

  private Map<String, String> settings(URI... webhooks) throws Exception {
    Path secret = dir.resolve("webhook-secret");
    Files.writeString(secret, SECRET);
    Map<String, String> settings = new HashMap<>();
    settings.put(
        "quarry.events.webhook-url",
        java.util.Arrays.stream(webhooks).map(URI::toString).collect(Collectors.joining(",")));
    settings.put("quarry.events.webhook-secret-ref", "file:" + secret.toAbsolutePath());
    settings.put("quarry.events.timeout-ms", "1000");
    settings.put("quarry.events.initial-backoff-ms", "100");
    settings.put("quarry.events.max-backoff-ms", "1000");
    settings.put("quarry.events.poll-interval-ms", "50");
    return settings;
  }

  private static String create(ControlPlaneFixture quarry, String name, String input, int records) {
    quarry.s3.createBucket("events-in");
    quarry.s3.createBucket("events-out");
    if (records > 0) {
      quarry.s3.put("events-in", name + "/a.jsonl", Corpus.file(name, records));
    }
    CreateModelInvocationJobRequest request =
        ControlPlaneFixture.jobRequest(name, input, "s3://events-out/" + name + "/").build();
    return quarry.bedrock().createModelInvocationJob(request).jobArn();
  }

  private static GetModelInvocationJobResponse awaitStatus(
      ControlPlaneFixture quarry, String arn, ModelInvocationJobStatus status)
      throws InterruptedException {
    return quarry.await(arn, r -> r.status() == status, Duration.ofSeconds(120));
  }

  private static void awaitAcknowledged(WebhookReceiver receiver, String arn, List<String> statuses)
      throws InterruptedException {
    receiver.await(
        d ->
            d.stream().filter(x -> x.acknowledged() && x.jobArn().equals(arn)).count()
                >= statuses.size(),
        Duration.ofSeconds(60),
        statuses + " of " + arn);
    assertThat(receiver.acknowledgedStatuses().get(arn)).containsExactlyElementsOf(statuses);
  }

  /** The event has Bedrock's fields, and they say what Get says. */
  private static void assertBedrockShape(Delivery delivery, GetModelInvocationJobResponse job) {
    JsonNode event = delivery.json();
    assertThat(delivery.signatureValid()).as(delivery.toString()).isTrue();
    assertThat(event.path("id").asText()).isEqualTo(delivery.eventId());
    assertThat(event.path("version").asText()).isEqualTo("0");
    assertThat(event.path("detail-type").asText()).isEqualTo("Batch Inference Job State Change");
    assertThat(event.path("source").asText()).isEqualTo("aws.bedrock");
    assertThat(event.path("account").asText()).isEqualTo("123456789012");
    assertThat(event.path("region").asText()).isEqualTo("us-east-1");
    assertThat(event.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(event.path("resources").toString()).isEqualTo("[\"" + job.jobArn() + "\"]");
    JsonNode detail = event.path("detail");
    assertThat(detail.size()).isEqualTo(8);
    assertThat(detail.path("version").asText()).isEqualTo("0.0");
    assertThat(detail.path("accountId").asText()).isEqualTo("123456789012");
    assertThat(detail.path("batchJobName").asText()).isEqualTo(job.jobName());
    assertThat(detail.path("batchJobArn").asText()).isEqualTo(job.jobArn());
    assertThat(detail.path("batchModelId").asText()).isEqualTo(job.modelId());
    assertThat(detail.path("creationTime").asText())
        .isEqualTo(JobStateChangeEvent.CREATION_TIME.format(job.submitTime()));
    assertThat(detail.path("failureMessage").isTextual()).isTrue();
  }

  @Test
  void aJobsEventsReachAFailingWebhookInOrderSignedAndShapedLikeBedrocks() throws Exception {
    try (WebhookReceiver receiver =
            new WebhookReceiver(
                SECRET,
                n ->
                    switch (n) {
                      case 1, 2 -> new Status(500);
                      case 3 -> new Hang(Duration.ofMillis(1_500));
                      default -> WebhookReceiver.OK;
                    });
        ServerSocket closed = new ServerSocket(0)) {
      URI dead = URI.create("http://127.0.0.1:" + closed.getLocalPort() + "/gone");
      closed.close();
      try (ControlPlaneFixture quarry =
          new ControlPlaneFixture(dir, settings(dead, receiver.url()))) {
        String arn = create(quarry, "evented-run", "s3://events-in/evented-run/", 40);
        GetModelInvocationJobResponse done =
            awaitStatus(quarry, arn, ModelInvocationJobStatus.COMPLETED);
        awaitAcknowledged(receiver, arn, COMPLETED_RUN);

        List<Delivery> all = receiver.deliveries();
        assertThat(all.subList(0, 3)).extracting(Delivery::acknowledged).containsOnly(false);
        assertThat(all).allSatisfy(d -> assertBedrockShape(d, done));
        // a job's event goes out only once the one before it was acknowledged
        List<String> sentStatuses = all.stream().map(Delivery::status).toList();
        for (int i = 1; i < sentStatuses.size(); i++) {
          assertThat(COMPLETED_RUN.indexOf(sentStatuses.get(i)))
              .as("attempt %d of %s", i, sentStatuses)
              .isGreaterThanOrEqualTo(COMPLETED_RUN.indexOf(sentStatuses.get(i - 1)));
        }
        assertThat(all.stream().filter(Delivery::acknowledged).map(Delivery::eventId).distinct())
            .hasSize(5);
        Delivery completed = all.get(all.size() - 1);
        assertThat(completed.status()).isEqualTo("Completed");
        assertThat(completed.json().path("detail").path("failureMessage").asText()).isEmpty();
        assertThat(completed.json().path("time").asText())
            .isEqualTo(
                DateTimeFormatter.ISO_INSTANT.format(
                    done.lastModifiedTime().truncatedTo(ChronoUnit.SECONDS)));
        // the dead webhook holds its five, and held up neither the job nor the other webhook
        assertThat(quarry.plane().store().outbox().pending(dead.toString())).isEqualTo(5);
      }
    }
  }

  @Test
  void aStopAnnouncesStoppingThenStoppedAndAFailureCarriesItsMessage() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> WebhookReceiver.OK)) {
      Map<String, String> settings = settings(receiver.url());
      settings.put("quarry.job.requests-per-minute", "3000"); // 2,000 records take 40 s
      try (ControlPlaneFixture quarry = new ControlPlaneFixture(dir, settings)) {
        String stopped = create(quarry, "stopped-run", "s3://events-in/stopped-run/", 2000);
        String failed = create(quarry, "failed-run", "s3://events-in/does-not-exist/", 0);
        quarry.await(
            stopped,
            r -> r.processedRecordCount() != null && r.processedRecordCount() >= 20,
            Duration.ofSeconds(120));
        quarry.bedrock().stopModelInvocationJob(b -> b.jobIdentifier(stopped));
        GetModelInvocationJobResponse stoppedJob =
            awaitStatus(quarry, stopped, ModelInvocationJobStatus.STOPPED);
        GetModelInvocationJobResponse failedJob =
            awaitStatus(quarry, failed, ModelInvocationJobStatus.FAILED);

        awaitAcknowledged(
            receiver,
            stopped,
            List.of("Submitted", "Validating", "Scheduled", "InProgress", "Stopping", "Stopped"));
        awaitAcknowledged(receiver, failed, List.of("Submitted", "Validating", "Failed"));
        Delivery failure =
            receiver.deliveries().stream()
                .filter(d -> d.jobArn().equals(failed) && d.status().equals("Failed"))
                .findFirst()
                .orElseThrow();
        assertBedrockShape(failure, failedJob);
        assertThat(failure.json().path("detail").path("failureMessage").asText())
            .isEqualTo(failedJob.message())
            .contains("does not exist");
        receiver.deliveries().stream()
            .filter(d -> d.jobArn().equals(stopped))
            .forEach(d -> assertBedrockShape(d, stoppedJob));
      }
    }
  }

  @Test
  void eventsLeftUndeliveredAreDeliveredAfterARestart() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> new Status(503))) {
      try (ControlPlaneFixture quarry = new ControlPlaneFixture(dir, settings(receiver.url()))) {
        String arn = create(quarry, "restarted-run", "s3://events-in/restarted-run/", 20);
        awaitStatus(quarry, arn, ModelInvocationJobStatus.COMPLETED);
        receiver.await(d -> !d.isEmpty(), Duration.ofSeconds(30), "a first attempt");
        assertThat(quarry.plane().store().outbox().pending(receiver.url().toString())).isEqualTo(5);
        Set<String> triedBefore =
            receiver.deliveries().stream().map(Delivery::eventId).collect(Collectors.toSet());
        quarry.stop();

        receiver.answer(n -> WebhookReceiver.OK);
        Instant restart = Instant.now();
        quarry.start();
        awaitAcknowledged(receiver, arn, COMPLETED_RUN);
        List<Delivery> acknowledged =
            receiver.deliveries().stream().filter(Delivery::acknowledged).toList();
        assertThat(acknowledged)
            .allSatisfy(d -> assertThat(d.receivedAt()).isAfterOrEqualTo(restart))
            .allSatisfy(d -> assertThat(d.signatureValid()).isTrue());
        // the same events the first run queued (and tried), not new ones
        assertThat(acknowledged.get(0).eventId()).isIn(triedBefore);
        // removed once the answer is back, a moment after the receiver saw the last one
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (quarry.plane().store().outbox().pending(receiver.url().toString()) > 0
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(quarry.plane().store().outbox().pending(receiver.url().toString())).isZero();
      }
    }
  }
}
