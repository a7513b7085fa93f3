package dev.quarry.controlplane.events;

import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.store.EventOutbox;
import dev.quarry.controlplane.store.StatusEvents;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job state-change events, from the status store's outbox to every configured webhook: what the
 * store queues ({@link #statusEvents}) and the dispatchers that deliver it, one per webhook.
 */
public final class EventDelivery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);

  private final List<WebhookDispatcher> dispatchers;

  private EventDelivery(List<WebhookDispatcher> dispatchers) {
    this.dispatchers = dispatchers;
  }

  /** What the store queues with each status change; nothing if no webhook is configured. */
  public static StatusEvents statusEvents(ControlPlaneConfig.Events settings) {
    return settings.enabled() ? new WebhookEvents(settings.webhookUrls()) : StatusEvents.NONE;
  }

  /**
   * Starts delivering: drops (with a log line) what waits for webhooks no longer configured, then
   * runs one dispatcher per webhook. {@code clock} is the lifecycle's, which timed the events.
   */
  public static EventDelivery start(
      EventOutbox outbox, ControlPlaneConfig.Events settings, Clock clock) {
    Set<String> configured = new HashSet<>();
    settings.webhookUrls().forEach(u -> configured.add(u.toString()));
    for (String left : outbox.destinations()) {
      if (!configured.contains(left)) {
        int dropped = outbox.removeAll(left);
        LOG.warn(
            "Dropped {} undelivered events for webhook {}: it is no longer in"
                + " quarry.events.webhook-url",
            dropped,
            WebhookDispatcher.shown(URI.create(left)));
      }
    }
    Duration timeout = Duration.ofMillis(settings.timeoutMillis());
    WebhookSender sender = new WebhookSender(timeout, clock);
    DeliveryBackoff backoff =
        new DeliveryBackoff(
            Duration.ofMillis(settings.initialBackoffMillis()),
            Duration.ofMillis(settings.maxBackoffMillis()));
    List<WebhookDispatcher> dispatchers = new ArrayList<>();
    for (URI webhook : settings.webhookUrls()) {
      WebhookDispatcher dispatcher =
          new WebhookDispatcher(
              webhook,
              outbox,
              sender,
              settings.webhookSecret(),
              backoff,
              timeout,
              settings.maxAttempts(),
              Duration.ofMinutes(settings.maxAgeMinutes()),
              settings.maxPending(),
              clock);
      int waiting = outbox.pending(webhook.toString());
      if (waiting > 0) {
        LOG.info(
            "{} events wait for webhook {} from before this start",
            waiting,
            WebhookDispatcher.shown(webhook));
      }
      dispatcher.start(Duration.ofMillis(settings.pollIntervalMillis()));
      dispatchers.add(dispatcher);
      LOG.info("Job state-change events go to {}", WebhookDispatcher.shown(webhook));
    }
    return new EventDelivery(dispatchers);
  }

  @Override
  public void close() {
    dispatchers.forEach(WebhookDispatcher::close);
  }
}
