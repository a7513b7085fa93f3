package dev.quarry.controlplane.metrics;

import dev.quarry.controlplane.cost.Cost;
import dev.quarry.controlplane.cost.PriceTable;
import dev.quarry.controlplane.store.JobCounts;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.StoreTotals;
import dev.quarry.job.progress.ModelCallCounts;
import dev.quarry.job.progress.ProgressSql;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * Quarry's series, made at each scrape from the status store's {@link StoreTotals}: what the jobs
 * reported, so every control-plane replica serves the same numbers for jobs on any cluster. The
 * series' names are {@link MetricNames}.
 */
final class StoreCollector implements MultiCollector {
  /** The statuses that count as waiting in the queue. */
  static final Set<JobStatus> QUEUED = EnumSet.of(JobStatus.SUBMITTED, JobStatus.SCHEDULED);

  private final JobStore store;
  private final PriceTable prices;

  StoreCollector(JobStore store, PriceTable prices) {
    this.store = store;
    this.prices = prices;
  }

  @Override
  public MetricSnapshots collect() {
    StoreTotals totals = store.totals();
    MetricSnapshots.Builder out = MetricSnapshots.builder();
    jobs(totals, out);
    usage(totals, out);
    calls(totals, out);
    return out.build();
  }

  private static void jobs(StoreTotals totals, MetricSnapshots.Builder out) {
    // every status of every account that has jobs, zeros included: a series that vanishes when
    // its count drops to zero would look like a scrape gap, not a zero
    Map<String, Map<JobStatus, Long>> byAccount = new TreeMap<>();
    long queued = 0;
    for (StoreTotals.StatusCount c : totals.jobs()) {
      byAccount.computeIfAbsent(c.accountId(), a -> new TreeMap<>()).put(c.status(), c.jobs());
      if (QUEUED.contains(c.status())) {
        queued += c.jobs();
      }
    }
    GaugeSnapshot.Builder jobs =
        GaugeSnapshot.builder()
            .name(MetricNames.JOBS)
            .help("Jobs in the status store, by account and status");
    byAccount.forEach(
        (account, counts) -> {
          for (JobStatus status : JobStatus.values()) {
            jobs.dataPoint(
                GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("account", account, "status", status.wireName()))
                    .value(counts.getOrDefault(status, 0L))
                    .build());
          }
        });
    out.metricSnapshot(jobs.build());
    out.metricSnapshot(
        GaugeSnapshot.builder()
            .name(MetricNames.QUEUE_LENGTH)
            .help("Jobs waiting to run: Submitted or Scheduled")
            .dataPoint(GaugeDataPointSnapshot.builder().value(queued).build())
            .build());
  }

  private void usage(StoreTotals totals, MetricSnapshots.Builder out) {
    List<StoreTotals.Usage> usage = totals.usage();
    out.metricSnapshot(
        usageCounter(
            MetricNames.RECORDS_PROCESSED,
            "Records with an output line (answered or error)",
            usage,
            JobCounts::processed));
    out.metricSnapshot(
        usageCounter(
            MetricNames.RECORDS_SUCCEEDED,
            "Records the model answered",
            usage,
            JobCounts::succeeded));
    out.metricSnapshot(
        usageCounter(
            MetricNames.RECORDS_FAILED, "Records with an error line", usage, JobCounts::failed));
    out.metricSnapshot(
        usageCounter(
            MetricNames.INPUT_TOKENS,
            "Input tokens of the answered records",
            usage,
            JobCounts::inputTokens));
    out.metricSnapshot(
        usageCounter(
            MetricNames.OUTPUT_TOKENS,
            "Output tokens of the answered records",
            usage,
            JobCounts::outputTokens));
    CounterSnapshot.Builder cost =
        CounterSnapshot.builder()
            .name(MetricNames.COST)
            .help(
                "Estimated cost in USD of the tokens at on-demand prices ("
                    + "quarry.cost.prices-file, prices as of "
                    + prices.asOf()
                    + "); models without a price have no series");
    for (StoreTotals.Usage u : usage) {
      JobCounts c = u.counts();
      Optional<Cost> estimate = prices.estimate(u.modelId(), c.inputTokens(), c.outputTokens());
      estimate.ifPresent(
          e ->
              cost.dataPoint(
                  CounterDataPointSnapshot.builder()
                      .labels(usageLabels(u))
                      .value(e.onDemand().doubleValue())
                      .build()));
    }
    out.metricSnapshot(cost.build());
  }

  private static CounterSnapshot usageCounter(
      String name, String help, List<StoreTotals.Usage> usage, ToLongFunction<JobCounts> count) {
    CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
    for (StoreTotals.Usage u : usage) {
      counter.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(usageLabels(u))
              .value(count.applyAsLong(u.counts()))
              .build());
    }
    return counter.build();
  }

  private static Labels usageLabels(StoreTotals.Usage u) {
    return Labels.of("account", u.accountId(), "model", u.modelId());
  }

  private static void calls(StoreTotals totals, MetricSnapshots.Builder out) {
    Map<String, ModelCallCounts> calls = new TreeMap<>(totals.calls());
    out.metricSnapshot(
        callCounter(
            MetricNames.MODEL_CALLS, "Model calls sent, retries included", calls, c -> c.calls()));
    out.metricSnapshot(
        callCounter(
            MetricNames.MODEL_THROTTLED,
            "Model calls answered 429 (throttled) or model-not-ready",
            calls,
            c -> c.throttled()));
    out.metricSnapshot(
        callCounter(
            MetricNames.MODEL_RETRIES,
            "Model calls sent again after a retryable failure",
            calls,
            c -> c.retries()));
    CounterSnapshot.Builder errors =
        CounterSnapshot.builder()
            .name(MetricNames.MODEL_ERRORS)
            .help("Failed model calls by status code, every attempt (429s and retried 5xx too)");
    calls.forEach(
        (model, c) ->
            new TreeSet<>(c.errorsByCode().keySet())
                .forEach(
                    code ->
                        errors.dataPoint(
                            CounterDataPointSnapshot.builder()
                                .labels(Labels.of("model", model, "code", Integer.toString(code)))
                                .value(c.errorsByCode().get(code))
                                .build())));
    out.metricSnapshot(errors.build());
    HistogramSnapshot.Builder latency =
        HistogramSnapshot.builder()
            .name(MetricNames.MODEL_LATENCY)
            .unit(Unit.SECONDS)
            .help("Model call latency, from sending to the answer or failure");
    calls.forEach((model, c) -> latency.dataPoint(latencyPoint(model, c)));
    out.metricSnapshot(latency.build());
  }

  private static CounterSnapshot callCounter(
      String name,
      String help,
      Map<String, ModelCallCounts> calls,
      ToLongFunction<ModelCallCounts> count) {
    CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
    calls.forEach(
        (model, c) ->
            counter.dataPoint(
                CounterDataPointSnapshot.builder()
                    .labels(Labels.of("model", model))
                    .value(count.applyAsLong(c))
                    .build()));
    return counter.build();
  }

  private static HistogramDataPointSnapshot latencyPoint(String model, ModelCallCounts c) {
    List<Long> bounds = ProgressSql.LATENCY_BOUNDS_MILLIS;
    double[] upper = new double[bounds.size() + 1];
    long[] counts = new long[bounds.size() + 1];
    long bucketed = 0;
    for (int i = 0; i < bounds.size(); i++) {
      upper[i] = bounds.get(i) / 1000.0;
      counts[i] = c.latencyBuckets().get(i);
      bucketed += counts[i];
    }
    upper[bounds.size()] = Double.POSITIVE_INFINITY;
    counts[bounds.size()] = c.answered() - bucketed;
    return HistogramDataPointSnapshot.builder()
        .labels(Labels.of("model", model))
        .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
        .sum(c.latencySumMicros() / 1_000_000.0)
        .build();
  }
}
