package dev.quarry.controlplane.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that follows real time plus an offset tests can advance, so timeouts pass on demand. */
public final class MutableClock extends Clock {
  private final AtomicLong offsetMillis = new AtomicLong();

  public void advance(Duration by) {
    offsetMillis.addAndGet(by.toMillis());
  }

  @Override
  public Instant instant() {
    return Instant.now().plusMillis(offsetMillis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
