package dev.quarry.job.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.progress.ModelCallReporter;
import dev.quarry.job.progress.ModelCallTally;
import dev.quarry.job.quota.GrantFollower;
import dev.quarry.job.quota.JdbcQuotaChannel;
import dev.quarry.job.quota.RateUsage;
import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.OutputLines;
import dev.quarry.job.record.RecordResult;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.stop.StopMarker;
import dev.quarry.job.stop.StopWatcher;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Calls the model for each record, within the job's rate limits, retrying what can succeed later;
 * every record ends as exactly one output line (success or error), never as a job failure.
 *
 * <p>The record's path: queue → the dispatcher takes a slot from the {@link CallRateLimiter} when
 * one is due (a timer, no thread parks) and fewer than {@code maxConcurrency} calls are in flight →
 * call through the {@link ModelInvoker} → on a retryable failure back off per the {@link
 * RetryPolicy} and queue again; otherwise complete with the output line. Flink's own async retry is
 * not used: in a bounded job it fires every pending retry at once when the input ends.
 *
 * <p>A job the control plane runs follows its grant, its share of the model's budget, through a
 * {@link GrantFollower}: the budget is {@code min(grant, the job's own limits)} split over the
 * subtasks, and a 429 cuts it locally at once ({@link ThrottleShield}) until the grant catches up.
 * Without a grant the job paces itself on its own limits and finds an unknown one by {@link
 * AdaptiveRate}.
 *
 * <p>Stop means stop: once the job's {@link StopMarker} appears, no model call starts. Calls
 * already sent finish and are written; records still waiting (for a rate-limit slot, or to retry)
 * complete with no output line, as records a stopped Bedrock job never reached. Without this, the
 * draining stop would wait for every queued record to get its slot: minutes of spending under a
 * tight budget.
 */
public final class BedrockInvokeFunction extends RichAsyncFunction<BatchRecord, RecordResult> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobSpec spec;
  private final long stopCheckMillis;
  private final OutputLines lines;

  private transient ModelInvokers.Opened connection;
  private transient StopWatcher stopWatcher;
  private transient ModelInvoker invoker;
  private transient CallRateLimiter limiter;
  private transient GrantFollower grantFollower;
  private transient int parallelism;
  private transient RetryPolicy retryPolicy;
  private transient ScheduledExecutorService scheduler;

  /** Calls waiting for a rate-limit slot; touched only on the scheduler thread. */
  private transient ArrayDeque<Call> waiting;

  /**
   * New calls and answers since the scheduler thread last looked: handed over without a task per
   * record, so a busy dispatcher takes many at one wake-up.
   */
  private transient ConcurrentLinkedQueue<Call> arrived;

  private transient AtomicInteger answeredSinceDrain;

  /**
   * Records' outcomes not yet handed to Flink. Each hand-over is a mail to the task's mailbox and
   * wakes the task thread, which (its queue full) handled one answer per wake-up when the SDK's I/O
   * threads handed each over; handed over together at each drain, they take one wake-up.
   */
  private transient ConcurrentLinkedQueue<Outcome> outcomes;

  /** Whether a drain of {@link #arrived} is queued on the scheduler and has not started yet. */
  private transient AtomicBoolean drainQueued;

  /** When the dispatcher's timer wakes it next ({@code Long.MAX_VALUE}: no timer). */
  private transient long dispatchWakeAt;

  /** Calls sent and not yet answered; touched only on the scheduler thread. */
  private transient int inFlight;

  /** How long a record may take in this operator before it gets a 408 line instead. */
  private transient long recordTimeoutNanos;

  private transient int maxInFlight;
  private transient Counter calls;
  private transient Counter throttled;
  private transient Counter retries;
  private transient Counter failedRecords;

  /** This run's calls as the status store gets them (for the control plane's /metrics). */
  private transient ModelCallTally tally;

  private transient ModelCallReporter callReporter;

  private final long recordTimeoutMillis;

  /**
   * @param stopCheckMillis how often to look for the job's stop marker
   * @param recordTimeoutMillis how long a record may wait and be retried before it gets a 408 error
   *     line ({@link #recordTimeoutMillis(JobSpec, int)}); kept here rather than by Flink's async
   *     operator, which would register (and cancel) a timer for every record
   */
  public BedrockInvokeFunction(JobSpec spec, long stopCheckMillis, long recordTimeoutMillis) {
    this.spec = spec;
    this.stopCheckMillis = stopCheckMillis;
    this.recordTimeoutMillis = recordTimeoutMillis;
    this.lines = OutputLines.of(spec);
  }

  @Override
  public void open(OpenContext context) {
    InvokeLimits limits = spec.limits();
    parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("quarry");
    calls = metrics.counter("modelCalls");
    throttled = metrics.counter("throttledCalls");
    retries = metrics.counter("retries");
    failedRecords = metrics.counter("errorRecords");
    tally = new ModelCallTally();
    if (spec.statusStore() != null) {
      callReporter =
          ModelCallReporter.start(
              spec.statusStore(),
              spec.jobId(),
              subtask,
              spec.progressIntervalMillis(),
              tally::counts);
    }
    limiter =
        followsGrant()
            ? startFollowingGrant(limits, subtask)
            : ownLimiter(limits, SubtaskBudget.of(limits, parallelism));
    waiting = new ArrayDeque<>();
    arrived = new ConcurrentLinkedQueue<>();
    answeredSinceDrain = new AtomicInteger();
    outcomes = new ConcurrentLinkedQueue<>();
    drainQueued = new AtomicBoolean();
    dispatchWakeAt = Long.MAX_VALUE;
    recordTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(recordTimeoutMillis);
    maxInFlight = limits.maxConcurrency();
    retryPolicy =
        new RetryPolicy(
            limits.maxAttempts(), limits.initialBackoffMillis(), limits.maxBackoffMillis());
    connection =
        ModelInvokers.open(spec); // Bedrock, or the OpenAI-compatible server the job's route names
    invoker = connection.invoker();
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-invoke-" + spec.jobId() + "-" + subtask);
              t.setDaemon(true);
              return t;
            });
    stopWatcher =
        StopWatcher.start(
            StopMarker.of(spec),
            stopCheckMillis,
            "quarry-stop-watch-" + spec.jobId() + "-" + subtask,
            this::dropWaiting);
  }

  private boolean followsGrant() {
    return spec.limits().quotaPollMillis() > 0 && spec.statusStore() != null;
  }

  /** The limiter of a job without a grant: its own budget, found downwards by AIMD if adaptive. */
  private static CallRateLimiter ownLimiter(InvokeLimits limits, SubtaskBudget budget) {
    AdaptiveRate adaptive =
        limits.adaptive()
            ? new AdaptiveRate(
                budget.requestsPerSecond() > 0
                    ? budget.requestsPerSecond()
                    : Double.POSITIVE_INFINITY)
            : null;
    return new CallRateLimiter(budget.requestsPerSecond(), budget.tokensPerSecond(), adaptive);
  }

  /**
   * Waits briefly for the job's first grant (so the job never starts above its share), then follows
   * it. A grant that does not come leaves the job on its own limits until one does.
   */
  private CallRateLimiter startFollowingGrant(InvokeLimits limits, int subtask) {
    long poll = limits.quotaPollMillis();
    CallRateLimiter[] created = new CallRateLimiter[1];
    GrantFollower.Started started =
        GrantFollower.start(
            new JdbcQuotaChannel(spec.statusStore(), spec.jobId(), subtask, Clock.systemUTC()),
            spec.jobId(),
            subtask,
            poll,
            Math.max(3_000, 6 * poll),
            grant -> {
              if (created[0] != null) {
                created[0].setBudget(SubtaskBudget.of(limits, grant, parallelism));
              }
            },
            () -> usage(created[0]));
    grantFollower = started.follower();
    if (started.firstGrant().isPresent()) {
      SubtaskBudget budget = SubtaskBudget.of(limits, started.firstGrant().get(), parallelism);
      created[0] =
          new CallRateLimiter(
              budget.requestsPerSecond(),
              budget.tokensPerSecond(),
              new ThrottleShield(budget.requestsPerSecond()));
    } else {
      created[0] = ownLimiter(limits, SubtaskBudget.of(limits, parallelism));
    }
    return created[0];
  }

  private RateUsage usage(CallRateLimiter limiter) {
    if (limiter == null) {
      return new RateUsage(0, 0, 0, false);
    }
    double rate = limiter.effectiveRequestRate();
    long sent = calls.getCount();
    return new RateUsage(
        Double.isInfinite(rate) ? 0 : rate * 60,
        sent,
        Math.min(sent, throttled.getCount()),
        limiter.pacedSince(System.nanoTime()));
  }

  @Override
  public void asyncInvoke(BatchRecord record, ResultFuture<RecordResult> result) {
    if (stopWatcher.requested()) {
      result.complete(
          List.of()); // not reached: no output line, as the stop filter drops what follows
      return;
    }
    switch (record.kind) {
      case RECORD -> arrive(new Call(record, result));
      case INVALID -> {
        failedRecords.inc();
        result.complete(
            Collections.singleton(
                RecordResult.output(
                    record.file, record.lineNumber, lines.invalid(record), false, 0, 0)));
      }
      default -> result.complete(Collections.singleton(RecordResult.passThrough(record)));
    }
  }

  @Override
  public void close() throws Exception {
    if (grantFollower != null) {
      grantFollower.close();
    }
    if (stopWatcher != null) {
      stopWatcher.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (callReporter != null) {
      // before the connection closes: calls it aborts were not answered by the model
      callReporter.close();
    }
    if (connection != null) {
      connection.close();
    }
  }

  /** Hands a new call to the dispatcher. */
  private void arrive(Call call) {
    arrived.add(call);
    wakeDispatcher();
  }

  /** A call was answered (or failed to start): its place is free for the next one. */
  private void answered() {
    answeredSinceDrain.incrementAndGet();
    wakeDispatcher();
  }

  /** A record's outcome: handed to Flink at the next drain. */
  private void complete(ResultFuture<RecordResult> result, Collection<RecordResult> lines) {
    outcomes.add(new Outcome(result, lines));
    wakeDispatcher();
  }

  /** A record's output lines (none or one) and where Flink waits for them. */
  private record Outcome(ResultFuture<RecordResult> result, Collection<RecordResult> lines) {}

  /** Queues one drain for whatever arrives until it starts. */
  private void wakeDispatcher() {
    if (drainQueued.compareAndSet(false, true)) {
      try {
        scheduler.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closing: the task is going away and its records will be replayed from the checkpoint.
      }
    }
  }

  /**
   * Hands the outcomes over, takes in the new calls and answers, then dispatches. Runs only on the
   * scheduler thread.
   */
  private void drain() {
    // Before reading: whatever arrives from now on queues a drain of its own.
    drainQueued.set(false);
    Outcome outcome;
    while ((outcome = outcomes.poll()) != null) {
      outcome.result().complete(outcome.lines());
    }
    inFlight -= answeredSinceDrain.getAndSet(0);
    Call call;
    while ((call = arrived.poll()) != null) {
      waiting.addLast(call);
    }
    dispatch();
  }

  /**
   * Sends queued calls as the rate limiter and the concurrency limit allow: one slot at a time,
   * taken at the moment of sending. Calls beyond {@code maxConcurrency} wait here rather than in
   * the HTTP client's connection queue, where their call timeout would already be running. A call
   * whose record is past its deadline gets its 408 line instead of a slot. Runs only on the
   * scheduler thread, which owns {@link #waiting} and {@link #inFlight}.
   */
  private void dispatch() {
    if (stopWatcher.requested()) {
      dropWaiting();
      return;
    }
    long now = System.nanoTime();
    while (!waiting.isEmpty()) {
      Call next = waiting.peekFirst();
      if (now - next.deadlineNanos >= 0) {
        waiting.pollFirst();
        next.timeOut();
        continue;
      }
      if (inFlight >= maxInFlight) {
        return; // every call in flight ends (its call timeout at the latest) and wakes this again
      }
      long wait = limiter.tryAcquire(now, next.reservedTokens);
      if (wait > 0) {
        // Slots due meanwhile are taken on waking (CallRateLimiter catches up).
        wakeAt(
            Math.min(now + Math.max(wait, CallRateLimiter.MIN_WAIT_NANOS), next.deadlineNanos),
            now);
        return;
      }
      waiting.pollFirst();
      inFlight++;
      next.send();
      now = System.nanoTime();
    }
  }

  /**
   * Makes sure the dispatcher runs again by {@code at}: one timer at a time, replaced only by one
   * due clearly earlier.
   */
  private void wakeAt(long at, long now) {
    if (dispatchWakeAt != Long.MAX_VALUE && dispatchWakeAt - at <= CallRateLimiter.MIN_WAIT_NANOS) {
      return;
    }
    dispatchWakeAt = at;
    scheduler.schedule(
        () -> {
          if (dispatchWakeAt == at) {
            dispatchWakeAt = Long.MAX_VALUE;
            dispatch();
          }
        },
        Math.max(0, at - now),
        TimeUnit.NANOSECONDS);
  }

  /** Completes every waiting call with no output line: after a stop they are never sent. */
  private void dropWaiting() {
    try {
      scheduler.execute(
          () -> {
            Call call;
            while ((call = waiting.pollFirst()) != null) {
              call.drop();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: nothing more is sent.
    }
  }

  /** One record's attempts. */
  private final class Call {
    private final BatchRecord record;
    private final ResultFuture<RecordResult> result;
    private final long reservedTokens;
    private final long deadlineNanos;
    private int attempt;
    private long sentAtNanos;

    Call(BatchRecord record, ResultFuture<RecordResult> result) {
      this.record = record;
      this.result = result;
      this.deadlineNanos = System.nanoTime() + recordTimeoutNanos;
      // Only a tokens-per-minute budget needs the estimate; without one, skip parsing the body
      // again.
      this.reservedTokens =
          spec.limits().tokensPerMinute() > 0
              ? TokenEstimator.estimate(record.modelInput, parseQuietly(record.modelInput))
              : 0;
    }

    private void send() {
      attempt++;
      long sentAt = System.nanoTime();
      sentAtNanos = sentAt;
      calls.inc();
      tally.sent();
      try {
        invoker
            .invoke(record.modelInput)
            .whenComplete(
                (response, error) -> {
                  tally.answered(System.nanoTime() - sentAt);
                  try {
                    if (error == null) {
                      succeed(response);
                    } else {
                      fail(CallFailure.of(error));
                    }
                  } finally {
                    answered(); // after the outcome is queued: one drain takes both
                  }
                });
      } catch (RuntimeException e) {
        tally.answered(System.nanoTime() - sentAt);
        answered();
        fail(CallFailure.of(e)); // the SDK can throw before it returns a future
      }
    }

    private void succeed(ModelResponse response) {
      long now = System.nanoTime();
      limiter.onSuccess(now);
      limiter.settle(reservedTokens, response.inputTokens() + response.outputTokens());
      complete(
          result,
          Collections.singleton(
              RecordResult.output(
                  record.file,
                  record.lineNumber,
                  lines.success(record, response.body(), response.requestId()),
                  true,
                  response.inputTokens(),
                  response.outputTokens())));
    }

    /**
     * The record's deadline passed (rate-limit queueing plus every retry): it gets a 408 error line
     * instead of failing the job.
     */
    private void timeOut() {
      fail(
          408,
          "Record timed out in Quarry before the model answered (rate-limit queue and retries)");
    }

    /** The record's error line, with no tokens spent on it. */
    private void fail(int statusCode, String message) {
      failedRecords.inc();
      complete(
          result,
          Collections.singleton(
              RecordResult.output(
                  record.file,
                  record.lineNumber,
                  lines.failure(record, statusCode, message),
                  false,
                  0,
                  0)));
    }

    /**
     * Never sent (again): the record gets no output line. A waiting call holds no slot or tokens
     * yet.
     */
    private void drop() {
      complete(result, List.of());
    }

    private void fail(CallFailure failure) {
      limiter.settle(reservedTokens, 0);
      tally.failed(failure.statusCode(), failure.throttled());
      if (failure.throttled()) {
        throttled.inc();
        limiter.onThrottled(System.nanoTime(), sentAtNanos);
      }
      boolean retryable = retryPolicy.shouldRetry(failure, attempt);
      if (retryable && stopWatcher.requested()) {
        complete(result, List.of()); // would be tried again, but the job is stopping: not processed
        return;
      }
      long now = System.nanoTime();
      if (retryable && now - deadlineNanos >= 0) {
        timeOut();
        return;
      }
      if (retryable && !scheduler.isShutdown()) {
        retries.inc();
        tally.retried();
        long backoff =
            Math.min(
                TimeUnit.MILLISECONDS.toNanos(retryPolicy.backoffMillis(attempt)),
                deadlineNanos - now);
        try {
          // To the front of the queue: a record that was unlucky is not also sent to the back.
          scheduler.schedule(
              () -> {
                waiting.addFirst(this);
                dispatch();
              },
              backoff,
              TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // Closing: the record will be replayed from the checkpoint.
        }
        return;
      }
      fail(failure.statusCode(), failure.message());
    }
  }

  private static JsonNode parseQuietly(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      return null;
    }
  }

  /** The Flink deadline for one record: long enough for the rate-limit queue and every attempt. */
  public static long recordTimeoutMillis(JobSpec spec, int capacity) {
    InvokeLimits l = spec.limits();
    long attempts = l.maxAttempts() * (l.callTimeoutMillis() + l.maxBackoffMillis());
    long queue = 0;
    if (l.requestsPerMinute() > 0) {
      queue = (long) capacity * spec.parallelism() * 60_000L / l.requestsPerMinute();
    }
    // A job that follows a grant may be given a small share of its model for a while (a
    // high-priority job
    // arrived): its queue then moves slower than its own limits say, so it waits longer before a
    // 408.
    long floor = l.quotaPollMillis() > 0 ? 30 * 60_000L : 10 * 60_000L;
    return Math.max(floor, attempts + 2 * queue);
  }
}
