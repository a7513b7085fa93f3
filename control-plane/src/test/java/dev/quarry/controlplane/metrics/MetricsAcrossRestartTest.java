package dev.quarry.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.controlplane.store.JobCounts;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.job.testing.Corpus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;

/**
 * A control plane killed mid-job (its embedded Flink with it) and started again resumes the job
 * from its last checkpoint: the restored writer reports the checkpoint's counts, lower than it had
 * reported. Scraped all along, no counter ever goes down, the records end at the job's count (not
 * counted twice) and the calls at what the model saw (the re-invoked ones included: they were
 * made).
 */
class MetricsAcrossRestartTest {
  private static final String MODEL = ControlPlaneFixture.MODEL;
  private static final int RECORDS = 600;
  private static final List<String> COUNTERS =
      List.of(
          "quarry_records_processed_total",
          "quarry_records_succeeded_total",
          "quarry_input_tokens_total",
          "quarry_output_tokens_total",
          "quarry_model_calls_total",
          "quarry_model_call_duration_seconds_count");

  @Test
  void countersNeverGoDownAcrossARestoreAndCountNothingTwice(@TempDir Path dir) throws Exception {
    try (ControlPlaneFixture quarry =
        new ControlPlaneFixture(dir, Map.of("quarry.job.requests-per-minute", "3000"))) {
      quarry.s3.createBucket("restart-metrics-in");
      quarry.s3.createBucket("restart-metrics-out");
      quarry.s3.put("restart-metrics-in", "r/a.jsonl", Corpus.file("r", RECORDS));
      String arn =
          quarry
              .bedrock()
              .createModelInvocationJob(
                  b ->
                      b.jobName("restart-metrics")
                          .roleArn(ControlPlaneFixture.ROLE)
                          .modelId(MODEL)
                          .inputDataConfig(
                              ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                                  s -> s.s3Uri("s3://restart-metrics-in/r/")))
                          .outputDataConfig(
                              ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                                  s -> s.s3Uri("s3://restart-metrics-out/r/"))))
              .jobArn();

      List<double[]> seen = new CopyOnWriteArrayList<>();
      AtomicBoolean scraping = new AtomicBoolean(true);
      Thread scraper =
          new Thread(
              () -> {
                while (scraping.get()) {
                  try {
                    Scrape s =
                        Scrape.of(quarry.plane().endpoint().resolve(MetricsHandler.PATH), null);
                    if (!s.matching("quarry_model_calls_total").isEmpty()) {
                      seen.add(COUNTERS.stream().mapToDouble(n -> sum(s, n)).toArray());
                    }
                  } catch (Exception | AssertionError e) {
                    // the control plane is down or starting: scrape again
                  }
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      scraper.start();
      try {
        quarry.await(
            arn,
            r -> r.processedRecordCount() != null && r.processedRecordCount() >= 200,
            Duration.ofSeconds(90));
        quarry.stop();
        quarry.start();
        GetModelInvocationJobResponse done =
            quarry.await(
                arn,
                ControlPlaneFixture.statusIn(
                    ModelInvocationJobStatus.COMPLETED, ModelInvocationJobStatus.FAILED),
                Duration.ofSeconds(120));
        assertThat(done.status()).as(done.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
        Thread.sleep(300); // a last scrape or two of the finished job
      } finally {
        scraping.set(false);
        scraper.join();
      }

      assertThat(seen).as("scrapes before and after the restart").hasSizeGreaterThan(10);
      for (int i = 1; i < seen.size(); i++) {
        for (int c = 0; c < COUNTERS.size(); c++) {
          assertThat(seen.get(i)[c])
              .as(COUNTERS.get(c) + " at scrape " + i + " never below the scrape before")
              .isGreaterThanOrEqualTo(seen.get(i - 1)[c]);
        }
      }
      Scrape last = Scrape.of(quarry.plane().endpoint().resolve(MetricsHandler.PATH), null);
      JobCounts counts =
          quarry
              .plane()
              .store()
              .find(arn.substring(arn.lastIndexOf('/') + 1))
              .orElseThrow()
              .counts();
      ModelStats model = quarry.emulator.stats().model(MODEL);
      assertThat(sum(last, "quarry_records_processed_total")).isEqualTo(RECORDS);
      assertThat(sum(last, "quarry_records_succeeded_total")).isEqualTo(RECORDS);
      assertThat(sum(last, "quarry_input_tokens_total")).isEqualTo(counts.inputTokens());
      assertThat(sum(last, "quarry_output_tokens_total")).isEqualTo(counts.outputTokens());
      double calls = sum(last, "quarry_model_calls_total");
      System.out.printf(
          "Restart: %d records, %.0f calls reported, %d requests seen by the emulator%n",
          RECORDS, calls, model.requests());
      // A call counts when it is started: one the kill aborted on its way may never have reached
      // the model; at most the calls in flight then (max-concurrency per subtask) can differ.
      long inFlight = 64L * 2;
      assertThat(calls)
          .as("the calls made, the re-invoked ones included")
          .isGreaterThanOrEqualTo(RECORDS)
          .isBetween((double) model.requests() - inFlight, (double) model.requests() + inFlight);
      assertThat(sum(last, "quarry_model_call_duration_seconds_count")).isLessThanOrEqualTo(calls);
    }
  }

  private static double sum(Scrape scrape, String name) {
    return scrape.matching(name).stream().mapToDouble(Scrape.Sample::value).sum();
  }
}
