package dev.quarry.controlplane.events;

import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.StatusEvent;
import dev.quarry.controlplane.store.StatusEvents;
import java.net.URI;
import java.util.List;

/** What the status store queues with each status change: Bedrock's event, for every webhook. */
record WebhookEvents(List<URI> webhooks) implements StatusEvents {
  WebhookEvents {
    webhooks = List.copyOf(webhooks);
  }

  @Override
  public List<String> destinations() {
    return webhooks.stream().map(URI::toString).toList();
  }

  @Override
  public StatusEvent of(JobRecord job) {
    JobStateChangeEvent event = JobStateChangeEvent.of(job);
    return new StatusEvent(event.id(), event.body());
  }
}
