package dev.quarry.controlplane.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.config.RateLimits;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.job.progress.StoreConnection;
import dev.quarry.job.testing.Corpus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * Several jobs on one model, through the API, on embedded Flink, against an emulator that enforces
 * the model's limit: the jobs share the budget by weight, a high-priority job gets its share at
 * once, the rate learned for a model without a budget outlives its jobs, and jobs on two models of
 * one OpenAI-compatible route share the route's budget.
 */
class QuotaSharingEndToEndTest {
  private static final String TOLD = ControlPlaneFixture.MODEL;
  private static final String UNTOLD = "anthropic.claude-3-sonnet-20240229-v1:0";
  private static final int LIMIT = 600;

  private static ControlPlaneFixture quarry(Path dir) throws Exception {
    ControlPlaneFixture quarry =
        new ControlPlaneFixture(
            dir,
            Map.of(
                "quarry.model." + TOLD + ".requests-per-minute",
                Integer.toString(LIMIT),
                "quarry.jobs.max-running",
                "4",
                "quarry.job.progress-interval-ms",
                "100"));
    ModelBehavior limited =
        ModelBehavior.builder()
            .limits(RateLimits.builder().requestsPerMinute(LIMIT).build())
            .build();
    ModelBehavior untold =
        ModelBehavior.builder()
            .limits(RateLimits.builder().requestsPerMinute(2 * LIMIT).build())
            .build();
    quarry.emulator.configure(
        EmulatorConfig.builder().model(TOLD, limited).model(UNTOLD, untold).build());
    quarry.s3.createBucket("quota-in");
    quarry.s3.createBucket("quota-out");
    return quarry;
  }

  private static String create(
      ControlPlaneFixture quarry, String name, String model, int records, String priority) {
    quarry.s3.put("quota-in", name + "/a.jsonl", Corpus.file(name, records));
    CreateModelInvocationJobRequest.Builder request =
        CreateModelInvocationJobRequest.builder()
            .jobName(name)
            .roleArn(ControlPlaneFixture.ROLE)
            .modelId(model)
            .inputDataConfig(
                ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                    s -> s.s3Uri("s3://quota-in/" + name + "/")))
            .outputDataConfig(
                ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                    s -> s.s3Uri("s3://quota-out/" + name + "/")));
    if (priority != null) {
      request.tags(Tag.builder().key(Priority.TAG).value(priority).build());
    }
    return quarry.bedrock().createModelInvocationJob(request.build()).jobArn();
  }

  private static long processed(ControlPlaneFixture quarry, String arn) {
    GetModelInvocationJobResponse r =
        quarry.bedrock().getModelInvocationJob(b -> b.jobIdentifier(arn));
    return r.processedRecordCount() == null ? 0 : r.processedRecordCount();
  }

  private static boolean running(GetModelInvocationJobResponse r, long atLeast) {
    return r.status() == ModelInvocationJobStatus.IN_PROGRESS
        && r.processedRecordCount() != null
        && r.processedRecordCount() >= atLeast;
  }

  private static String id(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  /** One number from the status store. */
  private static double query(ControlPlaneFixture quarry, String sql, String arg) throws Exception {
    try (Connection c = StoreConnection.open(quarry.plane().store().progressAddress(), "test");
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getDouble(1) : Double.NaN;
      }
    }
  }

  private static double allowed(ControlPlaneFixture quarry, String arn) throws Exception {
    return query(quarry, "SELECT SUM(allowed_rpm) FROM job_progress WHERE job_id = ?", id(arn));
  }

  private static double granted(ControlPlaneFixture quarry, String arn) throws Exception {
    return query(
        quarry, "SELECT requests_per_minute FROM model_quota_grants WHERE job_id = ?", id(arn));
  }

  /** Two jobs' records per second. */
  private record SteadyRates(double a, double b) {}

  /** The rates of two running jobs over 8 s, once both have run on their shares for 1 s. */
  private static SteadyRates steadyRates(ControlPlaneFixture quarry, String a, String b)
      throws Exception {
    quarry.await(a, r -> running(r, 5), Duration.ofSeconds(60));
    quarry.await(b, r -> running(r, 5), Duration.ofSeconds(60));
    Thread.sleep(1_000);
    long a0 = processed(quarry, a);
    long b0 = processed(quarry, b);
    long t0 = System.nanoTime();
    Thread.sleep(8_000);
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new SteadyRates(
        (processed(quarry, a) - a0) / seconds, (processed(quarry, b) - b0) / seconds);
  }

  @Test
  void twoEqualJobsOnOneModelEachGetHalfItsBudget(@TempDir Path dir) throws Exception {
    try (ControlPlaneFixture quarry = quarry(dir)) {
      ModelStats before = quarry.emulator.stats().model(TOLD);
      String a = create(quarry, "equal-a", TOLD, 200, null);
      String b = create(quarry, "equal-b", TOLD, 200, "normal");
      SteadyRates rates = steadyRates(quarry, a, b);
      double rateA = rates.a();
      double rateB = rates.b();

      assertThat(granted(quarry, a)).isEqualTo(LIMIT / 2.0);
      assertThat(granted(quarry, b)).isEqualTo(LIMIT / 2.0);
      assertThat(allowed(quarry, a))
          .as("the rate the job reports it allows itself")
          .isBetween(0.7 * LIMIT / 2, LIMIT / 2.0);
      double limitPerSecond = LIMIT / 60.0;
      assertThat(rateA + rateB)
          .as("together, at the model's budget")
          .isBetween(0.8 * limitPerSecond, 1.1 * limitPerSecond);
      assertThat(Math.abs(rateA - rateB) / Math.max(rateA, rateB))
          .as("equal shares: %s vs %s", rateA, rateB)
          .isLessThanOrEqualTo(0.2);
      ModelStats after = quarry.emulator.stats().model(TOLD);
      long calls = after.requests() - before.requests();
      assertThat(after.throttled() - before.throttled())
          .as("429s of %s calls", calls)
          .isLessThanOrEqualTo(calls / 50);
      assertThat(query(quarry, "SELECT SUM(calls) FROM job_progress WHERE job_id = ?", id(a)))
          .isPositive();
    }
  }

  @Test
  void aHighJobStartedBesideALowOneGetsItsShareWithinTwoSeconds(@TempDir Path dir)
      throws Exception {
    try (ControlPlaneFixture quarry = quarry(dir)) {
      String low = create(quarry, "prio-low", TOLD, 400, "low");
      quarry.await(low, r -> running(r, 5), Duration.ofSeconds(60));
      assertThat(granted(quarry, low)).isEqualTo(LIMIT);
      String high = create(quarry, "prio-high", TOLD, 300, "high");
      quarry.await(high, r -> running(r, 1), Duration.ofSeconds(60));
      long started = System.nanoTime();
      // The low job follows its smaller grant within a poll; both are on their shares 2 s after the
      // high one began.
      while (allowed(quarry, low) > LIMIT / 5.0 * 1.01
          && System.nanoTime() - started < 2_000_000_000L) {
        Thread.sleep(50);
      }
      assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
      assertThat(granted(quarry, high)).isEqualTo(LIMIT * 4 / 5.0);
      assertThat(allowed(quarry, low)).isLessThanOrEqualTo(LIMIT / 5.0 * 1.01);

      long h0 = processed(quarry, high);
      long l0 = processed(quarry, low);
      Thread.sleep(8_000);
      double ratio =
          (double) (processed(quarry, high) - h0) / Math.max(1, processed(quarry, low) - l0);
      assertThat(ratio).as("high : low throughput").isBetween(2.5, 6.0);
    }
  }

  @Test
  void theRateLearnedForAModelWithoutABudgetOutlivesItsJob(@TempDir Path dir) throws Exception {
    try (ControlPlaneFixture quarry = quarry(dir)) {
      String first = create(quarry, "learn-1", UNTOLD, 400, null);
      quarry.await(
          first, r -> r.status() == ModelInvocationJobStatus.COMPLETED, Duration.ofSeconds(120));
      double learned =
          query(
              quarry,
              "SELECT requests_per_minute FROM model_learned_rates WHERE model_id = ?",
              UNTOLD);
      assertThat(learned)
          .as("learned rate of a model limited to %s/min", 2 * LIMIT)
          .isBetween(0.5 * 2 * LIMIT, 1.3 * 2 * LIMIT);
      ModelStats stats = quarry.emulator.stats().model(UNTOLD);
      assertThat(stats.throttled())
          .as("429s of %s calls", stats.requests())
          .isLessThanOrEqualTo(stats.requests() / 10);

      // The next job on the model starts from it, not from the first guess of 60/min.
      String second = create(quarry, "learn-2", UNTOLD, 50, null);
      long deadline = System.nanoTime() + 60_000_000_000L;
      double grant = Double.NaN;
      while (System.nanoTime() < deadline && Double.isNaN(grant = granted(quarry, second))) {
        Thread.sleep(50);
      }
      assertThat(grant).isBetween(0.9 * learned, 1.1 * learned);
    }
  }

  @Test
  void jobsOnTwoModelsOfOneRouteShareTheRoutesBudget(@TempDir Path dir) throws Exception {
    // One OpenAI-compatible server answers both model ids as the same upstream model, and allows
    // that model LIMIT/min: only a budget shared across the two models keeps the jobs under it.
    String second = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    String upstream = "shared-llm";
    try (BedrockEmulator server = BedrockEmulator.builder().port(0).build().start()) {
      server.configure(
          EmulatorConfig.builder()
              .model(
                  upstream,
                  ModelBehavior.builder()
                      .limits(RateLimits.builder().requestsPerMinute(LIMIT).build())
                      .build())
              .build());
      Map<String, String> settings = new HashMap<>();
      settings.put("quarry.route.server.models", TOLD + ", " + second);
      settings.put("quarry.route.server.provider", "openai-compatible");
      settings.put("quarry.route.server.base-url", server.endpoint() + "/v1");
      settings.put("quarry.route.server.upstream-model", upstream);
      settings.put("quarry.route.server.requests-per-minute", Integer.toString(LIMIT));
      settings.put("quarry.jobs.max-running", "4");
      settings.put("quarry.job.progress-interval-ms", "100");
      try (ControlPlaneFixture quarry = new ControlPlaneFixture(dir, settings)) {
        quarry.s3.createBucket("quota-in");
        quarry.s3.createBucket("quota-out");
        String a = create(quarry, "route-a", TOLD, 200, null);
        String b = create(quarry, "route-b", second, 200, null);
        SteadyRates rates = steadyRates(quarry, a, b);
        double rateA = rates.a();
        double rateB = rates.b();

        assertThat(granted(quarry, a)).isEqualTo(LIMIT / 2.0);
        assertThat(granted(quarry, b)).isEqualTo(LIMIT / 2.0);
        assertThat(rateA + rateB)
            .as("together, at the route's budget: %s + %s records/s", rateA, rateB)
            .isBetween(0.8 * LIMIT / 60.0, 1.1 * LIMIT / 60.0);
        assertThat(Math.abs(rateA - rateB) / Math.max(rateA, rateB))
            .as("equal shares: %s vs %s", rateA, rateB)
            .isLessThanOrEqualTo(0.2);
        ModelStats stats = server.stats().model(upstream);
        assertThat(stats.throttled())
            .as("429s of %s calls to the shared server", stats.requests())
            .isLessThanOrEqualTo(stats.requests() / 50);
        assertThat(quarry.emulator.stats().model(TOLD).requests())
            .as("no call went to Bedrock")
            .isZero();
      }
    }
  }
}
