package dev.quarry.job.progress;

import dev.quarry.job.spec.StatusStoreAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports one run of a model-call subtask ({@link ModelCallTally}) into the status store's run
 * tables ({@link ProgressSql#CALL_RUNS}, {@link ProgressSql#CALL_ERRORS}), every interval on a
 * thread of its own and once more when it closes, so the control plane's {@code /metrics} counts
 * the calls of every cluster, embedded or remote, the same way.
 *
 * <p>Each run writes absolute counts under its own random run id: a report can be lost or repeated
 * without counting a call twice, and a subtask restored from a checkpoint starts a new run rather
 * than overwriting (and so taking back) the calls the failed run made. Like progress, this never
 * fails a job: a failed report is logged once and retried with the next.
 */
public final class ModelCallReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCallReporter.class);

  private final StatusStoreAddress address;
  private final String jobId;
  private final int subtask;
  private final long runId = ThreadLocalRandom.current().nextLong();
  private final Supplier<ModelCallCounts> counts;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private Connection connection;

  /** What the store holds for this run, so unchanged figures cost no write. */
  private ModelCallCounts written = ModelCallCounts.ZERO;

  private boolean failing;

  private ModelCallReporter(
      StatusStoreAddress address,
      String jobId,
      int subtask,
      Supplier<ModelCallCounts> counts,
      Clock clock) {
    this.address = Objects.requireNonNull(address, "address");
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.subtask = subtask;
    this.counts = Objects.requireNonNull(counts, "counts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-calls-" + jobId + "-" + subtask);
              t.setDaemon(true);
              return t;
            });
  }

  /** Reports {@code counts} every {@code intervalMillis} until closed. */
  public static ModelCallReporter start(
      StatusStoreAddress address,
      String jobId,
      int subtask,
      long intervalMillis,
      Supplier<ModelCallCounts> counts) {
    ModelCallReporter reporter =
        new ModelCallReporter(address, jobId, subtask, counts, Clock.systemUTC());
    reporter.timer.scheduleWithFixedDelay(
        reporter::report, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    return reporter;
  }

  private synchronized void report() {
    try {
      write(counts.get());
      if (failing) {
        LOG.info("Job {} subtask {}: reporting model calls again", jobId, subtask);
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        LOG.warn(
            "Job {} subtask {}: cannot report model calls to {}; will retry with the next report: {}",
            jobId,
            subtask,
            address.jdbcUrl(),
            e.toString());
      }
      failing = true;
      StoreConnection.closeQuietly(connection, jobId);
      connection = null;
    }
  }

  private void write(ModelCallCounts now) throws SQLException {
    if (now.equals(written)) {
      return;
    }
    if (connection == null) {
      connection = StoreConnection.open(address, jobId);
    }
    long at = clock.millis();
    Object[] values = new Object[ProgressSql.CALL_RUNS.counts().size() + 3];
    int i = 0;
    values[i++] = now.calls();
    values[i++] = now.throttled();
    values[i++] = now.retries();
    values[i++] = now.answered();
    values[i++] = now.latencySumMicros();
    List<Long> buckets = now.latencyBuckets();
    for (Long n : buckets) {
      values[i++] = n;
    }
    values[i++] = at;
    values[i++] = jobId;
    values[i++] = subtask;
    values[i] = runId;
    ProgressSql.CALL_RUNS.write(connection, values);
    for (Map.Entry<Integer, Long> e : now.errorsByCode().entrySet()) {
      if (!e.getValue().equals(written.errorsByCode().get(e.getKey()))) {
        ProgressSql.CALL_ERRORS.write(
            connection, e.getValue(), at, jobId, subtask, runId, e.getKey());
      }
    }
    written = now;
  }

  /**
   * Reports the run's last counts and stops. The report runs on the reporter's own thread: the task
   * thread closing this may be interrupted (a cancel), which a JDBC driver can take as a reason to
   * give up.
   */
  @Override
  public void close() {
    try {
      timer.execute(
          () -> {
            report();
            StoreConnection.closeQuietly(connection, jobId);
            connection = null;
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return; // closed already
    }
    timer.shutdown();
    try {
      timer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      // the last report still runs on the timer's (daemon) thread
      Thread.currentThread().interrupt();
    }
  }

  /** How long closing waits for the last report: a hung database must not hold up a cancel. */
  private static final long CLOSE_WAIT_SECONDS = 5;
}
