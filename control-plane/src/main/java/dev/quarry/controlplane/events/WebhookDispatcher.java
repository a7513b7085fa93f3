package dev.quarry.controlplane.events;

import dev.quarry.controlplane.store.EventOutbox;
import dev.quarry.controlplane.store.PendingEvent;
import dev.quarry.job.secret.SecretRef;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one webhook's events from the outbox on a thread of its own, so a dead webhook holds up
 * neither the others nor the lifecycle. Each pass sends every due event (the oldest pending one of
 * each job), removes what was acknowledged, reschedules what failed with exponential backoff, and
 * gives up, with a log line, on an event past its attempts or its age.
 */
final class WebhookDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** Events read per query; a pass goes on reading while events come due. */
  private static final int BATCH = 100;

  /**
   * How much longer than one attempt can take (its connect and its answer timeouts) another control
   * plane keeps off a claimed event.
   */
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

  /** How often the outbox is held to its bound. */
  private static final Duration TRIM_INTERVAL = Duration.ofSeconds(10);

  private final URI webhook;
  private final String destination;
  private final String shown;
  private final EventOutbox outbox;
  private final WebhookSender sender;
  private final SecretRef secret;
  private final DeliveryBackoff backoff;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration maxAge;
  private final int maxPending;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private boolean failing;
  private String secretProblem;
  private Instant nextTrim = Instant.MIN;

  WebhookDispatcher(
      URI webhook,
      EventOutbox outbox,
      WebhookSender sender,
      SecretRef secret,
      DeliveryBackoff backoff,
      Duration timeout,
      int maxAttempts,
      Duration maxAge,
      int maxPending,
      Clock clock) {
    this.webhook = webhook;
    this.destination = webhook.toString();
    this.shown = shown(webhook);
    this.outbox = outbox;
    this.sender = sender;
    this.secret = secret;
    this.backoff = backoff;
    this.timeout = timeout;
    this.maxAttempts = maxAttempts;
    this.maxAge = maxAge;
    this.maxPending = maxPending;
    this.clock = clock;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-events " + shown);
              t.setDaemon(true);
              return t;
            });
  }

  /** The webhook as logs show it: no query string or user info, which may hold a token. */
  static String shown(URI webhook) {
    return webhook.getScheme()
        + "://"
        + webhook.getHost()
        + (webhook.getPort() < 0 ? "" : ":" + webhook.getPort())
        + (webhook.getRawPath() == null ? "" : webhook.getRawPath());
  }

  void start(Duration pollInterval) {
    thread.scheduleWithFixedDelay(
        this::passSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void passSafely() {
    try {
      pass();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("Event delivery to {} failed; the next pass retries", shown, e);
    }
  }

  /** Sends what is due until nothing is. */
  void pass() throws InterruptedException {
    trimIfDue();
    byte[] key = secretKey();
    if (key == null) {
      return;
    }
    while (!Thread.currentThread().isInterrupted()) {
      List<PendingEvent> due = outbox.due(destination, clock.instant(), BATCH);
      if (due.isEmpty()) {
        return;
      }
      for (PendingEvent event : due) {
        attempt(event, key);
      }
    }
  }

  private void attempt(PendingEvent event, byte[] key) throws InterruptedException {
    Instant now = clock.instant();
    Duration age = Duration.between(event.createdAt(), now);
    if (age.compareTo(maxAge) > 0) {
      giveUp(
          event,
          event.attempts(),
          "it is older than quarry.events.max-age-minutes="
              + maxAge.toMinutes()
              + "; last error: "
              + event.lastError());
      return;
    }
    if (!outbox.claim(event, now.plus(timeout.multipliedBy(2)).plus(LEASE_MARGIN))) {
      return; // another control plane on this store is sending it
    }
    int attempt = event.attempts() + 1;
    DeliveryOutcome outcome;
    try {
      outcome = sender.send(webhook, event.eventId(), event.body(), key);
    } catch (InterruptedException e) {
      // Shutting down mid-attempt: free the event now rather than when its lease ends, so the next
      // start sends it at once. The webhook may have it already; delivery is at least once.
      try {
        outbox.retryAt(event.seq(), now, "interrupted by shutdown");
      } catch (RuntimeException ignored) {
        // the lease runs out on its own
      }
      throw e;
    }
    if (outcome.acknowledged()) {
      outbox.remove(event.seq());
      if (failing) {
        failing = false;
        LOG.info("Webhook {} acknowledges events again", shown);
      }
      return;
    }
    if (!failing) {
      failing = true;
      LOG.warn(
          "Webhook {} did not acknowledge event {} ({}): retrying with backoff; other webhooks"
              + " and the jobs themselves are not held up",
          shown,
          event.eventId(),
          outcome.error());
    } else {
      LOG.debug(
          "Webhook {}: attempt {} of event {} failed: {}",
          shown,
          attempt,
          event.eventId(),
          outcome.error());
    }
    if (attempt >= maxAttempts) {
      giveUp(
          event,
          attempt,
          "quarry.events.max-attempts=" + maxAttempts + " reached; last error: " + outcome.error());
    } else {
      outbox.retryAt(event.seq(), clock.instant().plus(backoff.after(attempt)), outcome.error());
    }
  }

  private void giveUp(PendingEvent event, int attempts, String why) {
    outbox.remove(event.seq());
    LOG.warn(
        "Gave up on event {} ({} of job {} at {}) for webhook {} after {} attempts: {}",
        event.eventId(),
        event.status().wireName(),
        event.jobId(),
        event.createdAt(),
        shown,
        attempts,
        why);
  }

  private void trimIfDue() {
    Instant now = clock.instant();
    if (now.isBefore(nextTrim)) {
      return;
    }
    nextTrim = now.plus(TRIM_INTERVAL);
    int dropped = outbox.trim(destination, maxPending);
    if (dropped > 0) {
      LOG.warn(
          "Dropped the {} oldest undelivered events for webhook {}: it may hold at most {}"
              + " (quarry.events.max-pending)",
          dropped,
          shown,
          maxPending);
    }
  }

  /** The signing key, or null (logged once) while its reference cannot be read. */
  private byte[] secretKey() {
    try {
      byte[] key = secret.resolve().getBytes(StandardCharsets.UTF_8);
      if (secretProblem != null) {
        LOG.info("The webhook secret {} can be read again", secret);
        secretProblem = null;
      }
      return key;
    } catch (IllegalStateException e) {
      if (!e.getMessage().equals(secretProblem)) {
        secretProblem = e.getMessage();
        LOG.error("Events for {} wait: {}", shown, e.getMessage());
      }
      return null;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
        LOG.warn("Event delivery to {} did not stop in time", shown);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
