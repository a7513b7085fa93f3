package dev.quarry.job.quota;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a job's grant for one subtask: every poll it reads the grant, hands a changed one on, and
 * reports the subtask's rate figures. Runs on its own thread, so a slow database never holds up a
 * model call.
 */
public final class GrantFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrantFollower.class);

  private final JdbcQuotaChannel channel;
  private final String jobId;
  private final int subtask;
  private final Consumer<RateGrant> onGrant;
  private final Supplier<RateUsage> usage;
  private final ScheduledExecutorService timer;
  private RateGrant last;

  /** Whether the last poll failed: a down database is logged once, not at every poll. */
  private boolean failing;

  private GrantFollower(
      JdbcQuotaChannel channel,
      String jobId,
      int subtask,
      Consumer<RateGrant> onGrant,
      Supplier<RateUsage> usage) {
    this.channel = channel;
    this.jobId = jobId;
    this.subtask = subtask;
    this.onGrant = onGrant;
    this.usage = usage;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-quota-" + jobId + "-" + subtask);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Waits up to {@code firstGrantMillis} for the job's first grant (the control plane writes it
   * within its period of the job starting), then follows it every {@code pollMillis}.
   *
   * @return the follower and the first grant, empty when none came in time (the job then runs on
   *     its own limits until one does)
   */
  public static Started start(
      JdbcQuotaChannel channel,
      String jobId,
      int subtask,
      long pollMillis,
      long firstGrantMillis,
      Consumer<RateGrant> onGrant,
      Supplier<RateUsage> usage) {
    GrantFollower follower = new GrantFollower(channel, jobId, subtask, onGrant, usage);
    Optional<RateGrant> first = follower.awaitFirst(pollMillis, firstGrantMillis);
    first.ifPresent(g -> follower.last = g);
    follower.timer.scheduleWithFixedDelay(
        follower::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return new Started(follower, first);
  }

  /** A started follower and the grant it found at once. */
  public record Started(GrantFollower follower, Optional<RateGrant> firstGrant) {}

  private Optional<RateGrant> awaitFirst(long pollMillis, long firstGrantMillis) {
    long deadline = System.nanoTime() + firstGrantMillis * 1_000_000L;
    while (true) {
      try {
        Optional<RateGrant> grant = channel.readGrant();
        if (grant.isPresent() || System.nanoTime() >= deadline) {
          if (grant.isEmpty()) {
            LOG.warn(
                "Job {} subtask {}: no quota grant after {} ms; running on the job's own limits until one"
                    + " comes",
                jobId,
                subtask,
                firstGrantMillis);
          }
          return grant;
        }
      } catch (SQLException | RuntimeException e) {
        LOG.warn(
            "Job {} subtask {}: cannot read the quota grant; running on the job's own limits until it can: {}",
            jobId,
            subtask,
            e.toString());
        failing = true;
        return Optional.empty();
      }
      try {
        Thread.sleep(Math.min(pollMillis, 100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  private void poll() {
    try {
      Optional<RateGrant> grant = channel.readGrant();
      if (grant.isPresent() && !grant.get().equals(last)) {
        last = grant.get();
        onGrant.accept(last);
      }
      channel.report(usage.get());
      if (failing) {
        LOG.info("Job {} subtask {}: following the quota grant again", jobId, subtask);
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        LOG.warn(
            "Job {} subtask {}: cannot follow the quota grant, keeping the last one: {}",
            jobId,
            subtask,
            e.toString());
      }
      failing = true;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
  }
}
