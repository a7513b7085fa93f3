package dev.quarry.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.store.JobRecord;
import dev.quarry.controlplane.store.JobStatus;
import dev.quarry.job.progress.JdbcProgressReporterFactory;
import dev.quarry.job.progress.JobProgress;
import dev.quarry.job.progress.ModelCallReporter;
import dev.quarry.job.progress.ModelCallTally;
import dev.quarry.job.progress.ProgressReporter;
import dev.quarry.job.progress.ProgressReporterFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 jobs in the store, of 4 accounts on 3 models, in every status, some restored from a
 * checkpoint: {@code /metrics} adds them all up right. It also prints how long a scrape takes (not
 * asserted: speed is the benchmark's business).
 */
class ManyJobsScrapeTest {
  private static final int JOBS = 1_000;
  private static final List<String> ACCOUNTS =
      List.of("111111111111", "222222222222", "333333333333", "444444444444");
  private static final List<String> MODELS =
      List.of(
          "anthropic.claude-3-haiku-20240307-v1:0",
          "amazon.nova-lite-v1:0",
          "meta.llama3-8b-instruct-v1:0");

  @TempDir Path dir;

  @Test
  void aThousandJobsAddUp() throws Exception {
    ControlPlaneConfig.Metrics open =
        ControlPlaneConfig.from(new ConfigSource(Map.of(), Map.of())).metrics();
    try (MetricsServer server = new MetricsServer(dir, open)) {
      ProgressReporterFactory reporters =
          new JdbcProgressReporterFactory(server.store.progressAddress());
      Map<String, long[]> expectedRecords = new HashMap<>(); // account|model -> processed, input
      Map<String, Long> expectedCalls = new HashMap<>();
      Map<String, Long> expectedStatus = new HashMap<>();
      JobStatus[] statuses = JobStatus.values();
      Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
      long queued = 0;
      for (int i = 0; i < JOBS; i++) {
        String account = ACCOUNTS.get(i % ACCOUNTS.size());
        String model = MODELS.get(i % MODELS.size());
        JobStatus status = statuses[i % statuses.length];
        String id = String.format("many%08d", i);
        server.store.createIfAbsent(
            JobRecord.builder()
                .jobId(id)
                .jobArn("arn:aws:bedrock:us-east-1:" + account + ":model-invocation-job/" + id)
                .jobName("job-" + i)
                .modelId(model)
                .roleArn("arn:aws:iam::" + account + ":role/R")
                .status(status)
                .submitTime(t0.plusSeconds(i))
                .lastModifiedTime(t0.plusSeconds(i))
                .inputConfigJson("{\"s3InputDataConfig\":{\"s3Uri\":\"s3://in/" + i + "/\"}}")
                .outputConfigJson("{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://out/" + i + "/\"}}")
                .build());
        expectedStatus.merge(account + "|" + status.wireName(), 1L, Long::sum);
        if (status == JobStatus.SUBMITTED || status == JobStatus.SCHEDULED) {
          queued++;
        }
        long processed = 0;
        long input = 0;
        if (status == JobStatus.IN_PROGRESS || status.isTerminal()) {
          processed = 10 + i % 7;
          input = 100L * processed;
          try (ProgressReporter writer = reporters.create(id)) {
            if (i % 10 == 0) {
              // a failover: the first run got further than the restored one has come yet
              try (ProgressReporter failed = reporters.create(id)) {
                failed.reportSubtask(0, progress(processed + 3));
              }
            }
            writer.reportSubtask(0, progress(processed));
            if (status.isTerminal()) {
              writer.reportFinal(processed, progress(processed));
            }
          }
          if (i % 10 == 0) {
            processed += 3;
            input += 300;
          }
          ModelCallTally tally = new ModelCallTally();
          for (int c = 0; c < processed; c++) {
            tally.sent();
            tally.answered(1_000_000L * (c + 1));
          }
          ModelCallReporter.start(server.store.progressAddress(), id, 0, 60_000, tally::counts)
              .close();
          expectedCalls.merge(model, processed, Long::sum);
        }
        expectedRecords.merge(
            account + "|" + model,
            new long[] {processed, input},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }

      // Timing, printed only. H2 answers a repeated query on unchanged tables from its last
      // result, so the store is also changed before each scrape of the last series.
      long cold = timed(server);
      long[] unchanged = new long[10];
      for (int i = 0; i < unchanged.length; i++) {
        unchanged[i] = timed(server);
      }
      long[] changed = new long[10];
      String running = "many" + String.format("%08d", 3); // an InProgress job
      try (ProgressReporter writer = reporters.create(running)) {
        for (int i = 0; i < changed.length; i++) {
          writer.reportSubtask(1, progress(0)); // a second subtask of it, reporting nothing yet
          changed[i] = timed(server);
        }
      }
      System.out.printf(
          "/metrics with %d jobs: first scrape %d ms; then median %d ms (unchanged store), %d ms"
              + " (store changed before each scrape)%n",
          JOBS, cold, median(unchanged), median(changed));
      Scrape scrape = Scrape.of(server.metrics(), null);

      for (Map.Entry<String, long[]> e : expectedRecords.entrySet()) {
        String[] key = e.getKey().split("\\|");
        assertThat(
                scrape.value("quarry_records_processed_total", "account", key[0], "model", key[1]))
            .as(e.getKey())
            .isEqualTo((double) e.getValue()[0]);
        assertThat(scrape.value("quarry_input_tokens_total", "account", key[0], "model", key[1]))
            .isEqualTo((double) e.getValue()[1]);
      }
      for (Map.Entry<String, Long> e : expectedStatus.entrySet()) {
        String[] key = e.getKey().split("\\|");
        assertThat(scrape.value("quarry_jobs", "account", key[0], "status", key[1]))
            .isEqualTo(e.getValue().doubleValue());
      }
      assertThat(scrape.matching("quarry_jobs")).hasSize(ACCOUNTS.size() * statuses.length);
      assertThat(scrape.value("quarry_job_queue_length")).isEqualTo((double) queued);
      for (Map.Entry<String, Long> e : expectedCalls.entrySet()) {
        assertThat(scrape.value("quarry_model_calls_total", "model", e.getKey()))
            .isEqualTo(e.getValue().doubleValue());
        assertThat(scrape.value("quarry_model_call_duration_seconds_count", "model", e.getKey()))
            .isEqualTo(e.getValue().doubleValue());
      }
    }
  }

  /** Milliseconds one scrape takes, over HTTP, parsed. */
  private static long timed(MetricsServer server) throws Exception {
    long start = System.nanoTime();
    Scrape.of(server.metrics(), null);
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long median(long[] millis) {
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static JobProgress progress(long processed) {
    return new JobProgress(processed, processed, 0, 100 * processed, 200 * processed);
  }
}
