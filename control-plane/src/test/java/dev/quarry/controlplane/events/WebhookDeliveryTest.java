package dev.quarry.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.events.WebhookReceiver.Delivery;
import dev.quarry.controlplane.events.WebhookReceiver.Hang;
import dev.quarry.controlplane.events.WebhookReceiver.Status;
import dev.quarry.controlplane.store.JdbcJobStore;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.PendingEvent;
import dev.quarry.controlplane.store.StatusChange;
import dev.quarry.controlplane.store.StoreSettings;
import dev.quarry.controlplane.testing.MutableClock;
import dev.quarry.job.secret.SecretRef;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery from a real status store (H2) to real HTTP webhooks: retries, order, signatures, a dead
 * webhook, and the limits (attempts, age, outbox size). The lifecycle is played by direct status
 * changes; {@code JobEventsEndToEndTest} runs the same with real jobs.
 */
class WebhookDeliveryTest {
  private static final String SECRET = "whsec-test-" + System.nanoTime();

  @TempDir Path dir;
  private SecretRef secretRef;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void writeSecret() throws Exception {
    Path file = dir.resolve("webhook-secret");
    Files.writeString(file, SECRET + "\n");
    secretRef = SecretRef.parse("file:" + file.toAbsolutePath());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  /**
   * Settings with a short backoff; attempts time out after 1 s, which the receiver's hang outlasts.
   */
  private ControlPlaneConfig.Events settings(
      List<URI> webhooks, int maxAttempts, long maxAgeMinutes, int maxPending) {
    return new ControlPlaneConfig.Events(
        webhooks, secretRef, 1_000, 50, 400, maxAttempts, maxAgeMinutes, maxPending, 20);
  }

  private JdbcJobStore store(ControlPlaneConfig.Events settings) {
    JdbcJobStore store =
        JdbcJobStore.open(
            StoreSettings.embedded(dir.resolve("store")), EventDelivery.statusEvents(settings));
    closing.add(store);
    return store;
  }

  private EventDelivery deliver(JdbcJobStore store, ControlPlaneConfig.Events s, Clock clock) {
    EventDelivery delivery = EventDelivery.start(store.outbox(), s, clock);
    closing.add(delivery);
    return delivery;
  }

  private WebhookReceiver receiver(java.util.function.IntFunction<WebhookReceiver.Answer> policy)
      throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(SECRET, policy);
    closing.add(receiver);
    return receiver;
  }

  /** A loopback URL nothing listens on. */
  private static URI deadWebhook() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/dead");
    }
  }

  @Test
  void failedAttemptsAreRetriedInOrderWhileADeadWebhookHoldsUpNothing() throws Exception {
    WebhookReceiver receiver =
        receiver(
            n ->
                switch (n) {
                  case 1, 2 -> new Status(500);
                  case 3 -> new Hang(Duration.ofMillis(1_500));
                  case 4 -> new Status(404);
                  default -> WebhookReceiver.OK;
                });
    URI dead = deadWebhook();
    ControlPlaneConfig.Events settings = settings(List.of(dead, receiver.url()), 185, 1_440, 1_000);
    JdbcJobStore store = store(settings);
    deliver(store, settings, Clock.systemUTC());

    JobRecord a = create(store, "job-a");
    JobRecord b = create(store, "job-b");
    move(store, a, JobStatus.VALIDATING, null);
    move(store, b, JobStatus.VALIDATING, null);
    move(store, a, JobStatus.SCHEDULED, null);
    move(store, b, JobStatus.FAILED, "The input s3://in/x/ does not exist");
    move(store, a, JobStatus.IN_PROGRESS, null);
    move(store, a, JobStatus.COMPLETED, null);

    receiver.await(
        d -> d.stream().filter(Delivery::acknowledged).count() == 8,
        Duration.ofSeconds(30),
        "8 acknowledged events");
    assertThat(receiver.acknowledgedStatuses())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                a.jobArn(),
                    List.of("Submitted", "Validating", "Scheduled", "InProgress", "Completed"),
                b.jobArn(), List.of("Submitted", "Validating", "Failed")));
    List<Delivery> all = receiver.deliveries();
    assertThat(all).hasSizeGreaterThanOrEqualTo(12); // 4 failed attempts, 8 acknowledged
    assertThat(all).allSatisfy(d -> assertThat(d.signatureValid()).as(d.toString()).isTrue());
    assertThat(all)
        .allSatisfy(
            d ->
                assertThat(Math.abs(d.timestamp() - d.receivedAt().getEpochSecond()))
                    .isLessThanOrEqualTo(5));
    // Every attempt, failed or not, came in its job's order: a later event only once the earlier
    // one was acknowledged.
    for (String arn : List.of(a.jobArn(), b.jobArn())) {
      List<Delivery> ofJob = all.stream().filter(d -> d.jobArn().equals(arn)).toList();
      Set<String> acknowledged = new HashSet<>();
      String pending = null;
      for (Delivery d : ofJob) {
        if (pending != null && !pending.equals(d.eventId())) {
          assertThat(acknowledged)
              .as("sent before the earlier event was acknowledged")
              .contains(pending);
        }
        assertThat(acknowledged)
            .as("sent again after it was acknowledged")
            .doesNotContain(d.eventId());
        if (d.acknowledged()) {
          acknowledged.add(d.eventId());
        }
        pending = d.eventId();
      }
    }
    Delivery failed =
        all.stream().filter(d -> d.status().equals("Failed")).findFirst().orElseThrow();
    assertThat(failed.json().path("detail").path("failureMessage").asText())
        .isEqualTo("The input s3://in/x/ does not exist");
    // The dead webhook kept all eight, tried and waiting, and held up nobody.
    assertThat(awaitPending(store, receiver.url(), 0)).isZero();
    assertThat(store.outbox().pending(dead.toString())).isEqualTo(8);
    List<PendingEvent> waiting =
        store.outbox().due(dead.toString(), Instant.now().plus(Duration.ofDays(1)), 10);
    assertThat(waiting).hasSize(2).allSatisfy(e -> assertThat(e.attempts()).isPositive());
    assertThat(waiting.get(0).lastError()).isEqualTo("connection refused");
  }

  @Test
  void anEventIsGivenUpAfterItsAttemptsAndTheJobsNextEventGoesOn() throws Exception {
    WebhookReceiver receiver = receiver(n -> n <= 3 ? new Status(503) : WebhookReceiver.OK);
    ControlPlaneConfig.Events settings = settings(List.of(receiver.url()), 3, 1_440, 1_000);
    JdbcJobStore store = store(settings);
    JobRecord job = create(store, "gives-up");
    deliver(store, settings, Clock.systemUTC());
    assertThat(awaitPending(store, receiver.url(), 0)).as("the Submitted event given up").isZero();
    List<Delivery> tries = receiver.deliveries();
    // at most three attempts (on a loaded machine one may time out before it arrives)
    assertThat(tries).hasSizeBetween(1, 3).noneMatch(Delivery::acknowledged);
    assertThat(tries).extracting(Delivery::eventId).containsOnly(tries.get(0).eventId());
    assertThat(tries).extracting(Delivery::status).containsOnly("Submitted");

    receiver.answer(n -> WebhookReceiver.OK);
    move(store, job, JobStatus.VALIDATING, null);
    receiver.await(
        d -> d.stream().anyMatch(Delivery::acknowledged), Duration.ofSeconds(30), "the next event");
    List<Delivery> all = receiver.deliveries();
    assertThat(all.get(all.size() - 1).status()).isEqualTo("Validating");
    assertThat(all.stream().filter(Delivery::acknowledged)).hasSize(1);
    assertThat(awaitPending(store, receiver.url(), 0)).isZero();
  }

  @Test
  void anEventOlderThanItsMaximumAgeIsGivenUpUnsent() throws Exception {
    WebhookReceiver receiver = receiver(n -> WebhookReceiver.OK);
    ControlPlaneConfig.Events settings = settings(List.of(receiver.url()), 185, 1, 1_000);
    JdbcJobStore store = store(settings);
    create(store, "too-old");
    MutableClock later = new MutableClock();
    later.advance(Duration.ofMinutes(2));
    deliver(store, settings, later);

    assertThat(awaitPending(store, receiver.url(), 0)).isZero();
    Thread.sleep(200);
    assertThat(receiver.deliveries()).isEmpty();
  }

  @Test
  void theOutboxKeepsOnlyAWebhooksNewestEventsAndDropsThoseOfRemovedWebhooks() throws Exception {
    URI dead = deadWebhook();
    URI removed = URI.create("http://127.0.0.1:9/removed");
    ControlPlaneConfig.Events before = settings(List.of(dead, removed), 185, 1_440, 3);
    JdbcJobStore store = store(before);
    for (int i = 0; i < 3; i++) {
      JobRecord job = create(store, "bounded-" + i);
      move(store, job, JobStatus.VALIDATING, null);
    }
    store.close();
    closing.remove(store);
    ControlPlaneConfig.Events after = settings(List.of(dead), 185, 1_440, 3);
    JdbcJobStore reopened = store(after);
    List<PendingEvent> all =
        reopened.outbox().due(dead.toString(), Instant.now().plus(Duration.ofDays(1)), 100);
    assertThat(reopened.outbox().pending(dead.toString())).isEqualTo(6);

    deliver(reopened, after, Clock.systemUTC());
    assertThat(awaitPending(reopened, dead, 3)).isEqualTo(3);
    assertThat(reopened.outbox().pending(removed.toString())).isZero();
    assertThat(reopened.outbox().destinations()).containsExactly(dead.toString());
    // the newest three are kept: the last job's two and the one before them
    List<PendingEvent> kept =
        reopened.outbox().due(dead.toString(), Instant.now().plus(Duration.ofDays(1)), 100);
    assertThat(kept).allSatisfy(e -> assertThat(e.seq()).isGreaterThan(all.get(0).seq()));
  }

  // --- helpers ---

  /**
   * Waits until {@code count} events wait for {@code hook} (the receiver sees an event before the
   * dispatcher has its answer and removes it); returns how many wait then.
   */
  private static int awaitPending(JdbcJobStore store, URI hook, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (store.outbox().pending(hook.toString()) != count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return store.outbox().pending(hook.toString());
  }

  private static JobRecord create(JdbcJobStore store, String name) {
    String id = randomJobId();
    Instant now = Instant.now();
    return store
        .createIfAbsent(
            JobRecord.builder()
                .jobId(id)
                .jobArn("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/" + id)
                .jobName(name)
                .modelId("anthropic.claude-3-haiku-20240307-v1:0")
                .roleArn("arn:aws:iam::123456789012:role/batch")
                .status(JobStatus.SUBMITTED)
                .submitTime(now)
                .lastModifiedTime(now)
                .inputConfigJson("{\"s3InputDataConfig\":{\"s3Uri\":\"s3://in/x/\"}}")
                .outputConfigJson("{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://out/\"}}")
                .build())
        .job();
  }

  private static void move(JdbcJobStore store, JobRecord job, JobStatus to, String message) {
    JobStatus from = store.find(job.jobId()).orElseThrow().status();
    assertThat(
            store.transition(
                job.jobId(),
                Set.of(from),
                to,
                StatusChange.builder().at(Instant.now()).message(message).build()))
        .isPresent();
  }

  private static String randomJobId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return id.toString();
  }
}
