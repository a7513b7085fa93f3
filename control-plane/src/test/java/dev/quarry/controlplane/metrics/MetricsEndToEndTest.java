package dev.quarry.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.controlplane.cost.PriceTable;
import dev.quarry.controlplane.store.JobCounts;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.FaultRates;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.config.RateLimits;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.job.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;

/**
 * A real job on the embedded MiniCluster against an emulator that throttles, fails at random and
 * fails chosen records every time; then {@code /metrics} is scraped over HTTP (unsigned, from
 * loopback), parsed, and held against the job's own counts and the emulator's: what the model saw
 * is what the metrics say.
 */
class MetricsEndToEndTest {
  private static final String MODEL = ControlPlaneFixture.MODEL;
  private static final String ACCOUNT = "123456789012";
  private static final int PLAIN = 150;
  private static final int ALWAYS_429 = 3;
  private static final int ALWAYS_503 = 2;
  private static final int ALWAYS_400 = 1;
  private static final int RECORDS = PLAIN + ALWAYS_429 + ALWAYS_503 + ALWAYS_400;
  private static final int MAX_ATTEMPTS = 3;

  private static Path dir;
  private static ControlPlaneFixture quarry;
  private static GetModelInvocationJobResponse job;
  private static JobCounts counts;
  private static ModelStats model;
  private static Scrape scrape;

  @BeforeAll
  static void runAJobAndScrape() throws Exception {
    dir = Files.createTempDirectory("metrics-e2e");
    quarry =
        new ControlPlaneFixture(
            dir,
            Map.of(
                // the job may send 100/s, the model takes 30/s: it answers 429 until the job slows
                "quarry.model." + MODEL + ".requests-per-minute",
                "6000",
                "quarry.job.max-attempts",
                Integer.toString(MAX_ATTEMPTS),
                "quarry.job.initial-backoff-ms",
                "20",
                "quarry.job.max-backoff-ms",
                "100"));
    quarry.emulator.configure(
        EmulatorConfig.builder()
            .model(
                MODEL,
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofMillis(30)))
                    .limits(RateLimits.builder().requestsPerMinute(1800).requestBurst(10).build())
                    .faults(
                        FaultRates.builder()
                            .internalServerError(0.03)
                            .serviceUnavailable(0.03)
                            .build())
                    .build())
            .build());
    quarry.s3.createBucket("metrics-in");
    quarry.s3.createBucket("metrics-out");
    List<String> lines = new ArrayList<>(Corpus.lines("m", PLAIN));
    for (int i = 0; i < ALWAYS_429; i++) {
      lines.add(Corpus.line("throttled" + i, "[[emulator:fail=429]]"));
    }
    for (int i = 0; i < ALWAYS_503; i++) {
      lines.add(Corpus.line("unavailable" + i, "[[emulator:fail=503]]"));
    }
    for (int i = 0; i < ALWAYS_400; i++) {
      lines.add(Corpus.line("invalid" + i, "[[emulator:fail=400]]"));
    }
    quarry.s3.put("metrics-in", "job/a.jsonl", Corpus.join(lines));
    String arn =
        quarry
            .bedrock()
            .createModelInvocationJob(
                b ->
                    b.jobName("metrics")
                        .roleArn(ControlPlaneFixture.ROLE)
                        .modelId(MODEL)
                        .inputDataConfig(
                            ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                                s -> s.s3Uri("s3://metrics-in/job/")))
                        .outputDataConfig(
                            ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                                s -> s.s3Uri("s3://metrics-out/job/"))))
            .jobArn();
    job =
        quarry.await(
            arn,
            ControlPlaneFixture.statusIn(
                ModelInvocationJobStatus.COMPLETED,
                ModelInvocationJobStatus.PARTIALLY_COMPLETED,
                ModelInvocationJobStatus.FAILED),
            Duration.ofMinutes(3));
    counts =
        quarry.plane().store().find(arn.substring(arn.lastIndexOf('/') + 1)).orElseThrow().counts();
    model = quarry.emulator.stats().model(MODEL);
    scrape = Scrape.of(quarry.plane().endpoint().resolve(MetricsHandler.PATH), null);
  }

  @AfterAll
  static void stop() {
    if (quarry != null) {
      quarry.close();
    }
  }

  @Test
  void recordsAndTokensAreTheJobs() {
    assertThat(job.status())
        .isIn(ModelInvocationJobStatus.COMPLETED, ModelInvocationJobStatus.PARTIALLY_COMPLETED);
    assertThat(job.processedRecordCount()).isEqualTo(RECORDS);
    String[] labels = {"account", ACCOUNT, "model", MODEL};
    assertThat(scrape.value("quarry_records_processed_total", labels)).isEqualTo(RECORDS);
    assertThat(scrape.value("quarry_records_succeeded_total", labels))
        .isEqualTo(job.successRecordCount().doubleValue())
        .isEqualTo(model.succeeded());
    assertThat(scrape.value("quarry_records_failed_total", labels))
        .isEqualTo(job.errorRecordCount().doubleValue())
        .isGreaterThanOrEqualTo(ALWAYS_429 + ALWAYS_503 + ALWAYS_400);
    assertThat(scrape.value("quarry_input_tokens_total", labels))
        .isEqualTo(counts.inputTokens())
        .isEqualTo(model.inputTokens())
        .isPositive();
    assertThat(scrape.value("quarry_output_tokens_total", labels))
        .isEqualTo(counts.outputTokens())
        .isEqualTo(model.outputTokens());
    double cost =
        PriceTable.load(null)
            .estimate(MODEL, counts.inputTokens(), counts.outputTokens())
            .orElseThrow()
            .onDemand()
            .doubleValue();
    assertThat(scrape.value("quarry_estimated_cost_usd_total", labels))
        .isCloseTo(cost, within(1e-12))
        .isPositive();
  }

  @Test
  void callsThrottlesAndErrorsAreWhatTheModelSaw() {
    String[] labels = {"model", MODEL};
    double calls = scrape.value("quarry_model_calls_total", labels);
    assertThat(calls).as("every call reached the emulator").isEqualTo(model.requests());
    double retries = scrape.value("quarry_model_call_retries_total", labels);
    assertThat(calls).as("each record's first call, then its retries").isEqualTo(RECORDS + retries);
    assertThat(scrape.value("quarry_model_throttled_calls_total", labels))
        .isEqualTo(model.throttled())
        .isGreaterThanOrEqualTo(ALWAYS_429 * MAX_ATTEMPTS);
    assertThat(error("429")).isEqualTo(model.throttled());
    assertThat(error("503"))
        .isEqualTo(model.faults().serviceUnavailable())
        .isGreaterThanOrEqualTo(ALWAYS_503 * MAX_ATTEMPTS);
    assertThat(error("500")).isEqualTo(model.faults().internalServerError());
    assertThat(error("400")).isEqualTo(model.validationErrors()).isEqualTo(ALWAYS_400);
    double failed =
        scrape.matching("quarry_model_call_errors_total", "model", MODEL).stream()
            .mapToDouble(Scrape.Sample::value)
            .sum();
    assertThat(calls - failed).as("the calls that did not fail").isEqualTo(model.succeeded());
  }

  @Test
  void theLatencyHistogramCountsEveryCall() {
    String[] labels = {"model", MODEL};
    double calls = scrape.value("quarry_model_calls_total", labels);
    assertThat(scrape.value("quarry_model_call_duration_seconds_count", labels)).isEqualTo(calls);
    List<Scrape.Sample> buckets =
        scrape.matching("quarry_model_call_duration_seconds_bucket", "model", MODEL);
    assertThat(buckets).hasSize(15);
    double previous = 0;
    for (Scrape.Sample bucket : buckets) {
      assertThat(bucket.value()).as("cumulative").isGreaterThanOrEqualTo(previous);
      previous = bucket.value();
    }
    assertThat(
            scrape.value("quarry_model_call_duration_seconds_bucket", "model", MODEL, "le", "+Inf"))
        .isEqualTo(calls);
    // every answered call took the emulator's 30 ms: only failures can be faster than 25 ms
    assertThat(
            scrape.value(
                "quarry_model_call_duration_seconds_bucket", "model", MODEL, "le", "0.025"))
        .isLessThanOrEqualTo(calls - model.succeeded());
    assertThat(scrape.value("quarry_model_call_duration_seconds_sum", labels))
        .isGreaterThanOrEqualTo(model.succeeded() * 0.030);
  }

  @Test
  void jobsByStatusAndTheQueue() {
    assertThat(scrape.value("quarry_jobs", "account", ACCOUNT, "status", job.status().toString()))
        .isEqualTo(1);
    assertThat(scrape.matching("quarry_jobs", "account", ACCOUNT))
        .as("every status, zeros included")
        .hasSize(10);
    assertThat(
            scrape.matching("quarry_jobs", "account", ACCOUNT).stream()
                .mapToDouble(Scrape.Sample::value)
                .sum())
        .isEqualTo(1);
    assertThat(scrape.value("quarry_job_queue_length")).isZero();
  }

  /** Every expression of the dashboard in conf/grafana names series this scrape has. */
  @Test
  void theDashboardIsBuiltOnTheseSeries() throws Exception {
    GrafanaDashboard dashboard =
        GrafanaDashboard.read(Path.of("..", "conf", "grafana", "quarry-dashboard.json"));
    assertThat(dashboard.expressions()).hasSizeGreaterThanOrEqualTo(10);
    for (String expression : dashboard.expressions()) {
      List<GrafanaDashboard.Selector> selectors = GrafanaDashboard.selectors(expression);
      assertThat(selectors).as(expression + " reads a Quarry series").isNotEmpty();
      for (GrafanaDashboard.Selector selector : selectors) {
        assertThat(scrape.names())
            .as(expression + ": /metrics serves " + selector.series())
            .contains(selector.series());
        assertThat(scrape.labelNames(selector.series()))
            .as(expression + ": the labels " + selector.series() + " has")
            .containsAll(selector.labels());
      }
      for (String label : GrafanaDashboard.groupingLabels(expression)) {
        assertThat(
                selectors.stream()
                    .anyMatch(
                        s -> label.equals("le") || scrape.labelNames(s.series()).contains(label)))
            .as(expression + ": grouped by a label its series have: " + label)
            .isTrue();
      }
    }
  }

  private double error(String code) {
    List<Scrape.Sample> found =
        scrape.matching("quarry_model_call_errors_total", "model", MODEL, "code", code);
    return found.isEmpty() ? 0 : found.get(0).value();
  }
}
