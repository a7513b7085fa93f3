package dev.quarry.controlplane.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.store.JdbcJobStore;
import dev.quarry.controlplane.store.StoreSettings;
import dev.quarry.job.progress.StoreConnection;
import dev.quarry.job.quota.JdbcQuotaChannel;
import dev.quarry.job.quota.RateGrant;
import dev.quarry.job.quota.RateUsage;
import dev.quarry.job.spec.StatusStoreAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grant table, recomputed on a real status store (H2) at times the test sets: jobs are rows in
 * {@code jobs}, their rate reports are written by the jobs' own {@link JdbcQuotaChannel}, and the
 * grants are read back the way a job reads them.
 */
class QuotaAllocatorTest {
  private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  private static final String OTHER = "amazon.nova-lite-v1:0";

  @TempDir Path dir;
  private JdbcJobStore store;
  private StatusStoreAddress address;
  private final SteppedClock clock = new SteppedClock();
  private final Map<String, Long> calls = new HashMap<>();
  private final Map<String, Long> throttles = new HashMap<>();

  @BeforeEach
  void openStore() {
    store = JdbcJobStore.open(StoreSettings.embedded(dir.resolve("store")));
    address = store.progressAddress();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private QuotaAllocator allocator(Map<String, String> settings) {
    return QuotaAllocator.create(
        store, ControlPlaneConfig.from(new ConfigSource(settings, Map.of())), clock);
  }

  private static Map<String, String> budget(int rpm) {
    return Map.of(
        "quarry.model." + MODEL + ".requests-per-minute",
        Integer.toString(rpm),
        "quarry.model." + MODEL + ".tokens-per-minute",
        "70000");
  }

  @Test
  void equalJobsSplitTheBudgetAndAHighJobGetsItsWeightAtTheNextRecomputation() throws Exception {
    try (QuotaAllocator quota = allocator(budget(600))) {
      running("aaaaaaaaaaa1", MODEL, null);
      running("aaaaaaaaaaa2", MODEL, "normal");
      running("aaaaaaaaaaa9", OTHER, null);
      quota.recompute();
      assertThat(grant("aaaaaaaaaaa1")).isEqualTo(new RateGrant(300, 35000));
      assertThat(grant("aaaaaaaaaaa2")).isEqualTo(new RateGrant(300, 35000));
      assertThat(grant("aaaaaaaaaaa9").requestsPerMinute())
          .as("no budget, adaptive: the rate learned so far")
          .isEqualTo(60);

      running("aaaaaaaaaaa3", MODEL, "high");
      clock.advance(500);
      quota.recompute();
      assertThat(grant("aaaaaaaaaaa3").requestsPerMinute()).isCloseTo(300, within(1e-9));
      assertThat(grant("aaaaaaaaaaa1").requestsPerMinute()).isCloseTo(150, within(1e-9));
      assertThat(grant("aaaaaaaaaaa2").requestsPerMinute()).isCloseTo(150, within(1e-9));

      status("aaaaaaaaaaa3", "Completed");
      clock.advance(500);
      quota.recompute();
      assertThat(grant("aaaaaaaaaaa1").requestsPerMinute()).isEqualTo(300);
      assertThat(grantRow("aaaaaaaaaaa3")).as("an ended job's grant is gone").isFalse();
    }
  }

  @Test
  void lowPriorityGetsOneFifthBesideHighAndMaxShareLeavesHeadroom() throws Exception {
    Map<String, String> settings = new HashMap<>(budget(600));
    settings.put("quarry.model." + MODEL + ".max-share", "0.8");
    try (QuotaAllocator quota = allocator(settings)) {
      running("bbbbbbbbbbb1", MODEL, "low");
      running("bbbbbbbbbbb2", MODEL, "HIGH");
      quota.recompute();
      assertThat(grant("bbbbbbbbbbb1").requestsPerMinute()).isCloseTo(96, within(1e-9));
      assertThat(grant("bbbbbbbbbbb2").requestsPerMinute()).isCloseTo(384, within(1e-9));
    }
  }

  @Test
  void aJobThatDoesNotUseItsShareLeavesTheRestToTheOthersAfterItsStartGrace() throws Exception {
    try (QuotaAllocator quota = allocator(budget(600))) {
      running("ccccccccccc1", MODEL, null);
      running("ccccccccccc2", MODEL, null);
      quota.recompute();
      for (int i = 0;
          i < 5;
          i++) { // 2.5 s: one job sends 120/min and waits for nothing, the other is held back
        report("ccccccccccc1", 1, 0, false);
        report("ccccccccccc2", 2, 0, true);
        clock.advance(500);
        quota.recompute();
      }
      assertThat(grant("ccccccccccc1").requestsPerMinute()).isCloseTo(180, within(1e-6));
      assertThat(grant("ccccccccccc2").requestsPerMinute()).isCloseTo(420, within(1e-6));
      assertThat(reason("ccccccccccc1")).contains("uses less than its share");
    }
  }

  @Test
  void aJobsOwnCapStaysOnTopOfItsShare() throws Exception {
    Map<String, String> settings = new HashMap<>(budget(600));
    settings.put("quarry.job.requests-per-minute", "100");
    try (QuotaAllocator quota = allocator(settings)) {
      running("ddddddddddd1", MODEL, null);
      quota.recompute();
      assertThat(grant("ddddddddddd1").requestsPerMinute()).isEqualTo(100);
    }
  }

  private static Map<String, String> route(String models, String... budget) {
    Map<String, String> settings = new HashMap<>();
    settings.put("quarry.route.vllm.models", models);
    settings.put("quarry.route.vllm.provider", "openai-compatible");
    settings.put("quarry.route.vllm.base-url", "http://vllm.internal:8000/v1");
    for (int i = 0; i < budget.length; i += 2) {
      settings.put("quarry.route.vllm." + budget[i], budget[i + 1]);
    }
    return settings;
  }

  @Test
  void jobsOnDifferentModelsOfARouteWithABudgetShareIt() throws Exception {
    Map<String, String> settings =
        route(
            "meta.llama3-1-8b-instruct-v1:0, ollama.*",
            "requests-per-minute",
            "600",
            "tokens-per-minute",
            "90000",
            "max-share",
            "0.5");
    settings.putAll(budget(600));
    try (QuotaAllocator quota = allocator(settings)) {
      running("ggggggggggg1", "meta.llama3-1-8b-instruct-v1:0", null);
      running("ggggggggggg2", "ollama.qwen2.5:7b", "high");
      running("ggggggggggg3", MODEL, null);
      quota.recompute();
      assertThat(grant("ggggggggggg1")).isEqualTo(new RateGrant(100, 15000));
      assertThat(grant("ggggggggggg2")).isEqualTo(new RateGrant(200, 30000));
      assertThat(reason("ggggggggggg2"))
          .contains("budget 600/min of route vllm x max-share 0.50")
          .contains("over 2 jobs on route vllm");
      assertThat(grant("ggggggggggg3"))
          .as("a model outside the route keeps its own budget")
          .isEqualTo(new RateGrant(600, 70000));

      status("ggggggggggg2", "Completed");
      clock.advance(500);
      quota.recompute();
      assertThat(grant("ggggggggggg1").requestsPerMinute()).isEqualTo(300);
    }
  }

  @Test
  void aRouteWithoutABudgetLeavesEachModelItsOwnPool() throws Exception {
    try (QuotaAllocator quota = allocator(route("ollama.*", "max-concurrency", "4"))) {
      running("hhhhhhhhhhh1", "ollama.llama3.1:8b", null);
      running("hhhhhhhhhhh2", "ollama.qwen2.5:7b", null);
      quota.recompute();
      assertThat(grant("hhhhhhhhhhh1").requestsPerMinute())
          .as("each model learns its own rate from the first guess")
          .isEqualTo(60);
      assertThat(grant("hhhhhhhhhhh2").requestsPerMinute()).isEqualTo(60);
      assertThat(reason("hhhhhhhhhhh1")).contains("over 1 job on the model");
    }
  }

  @Test
  void oneControlPlaneOfSeveralDividesAndAnotherTakesOverWhenItStops() throws Exception {
    try (QuotaAllocator first = allocator(budget(600));
        QuotaAllocator second = allocator(budget(600))) {
      running("iiiiiiiiiii1", MODEL, null);
      assertThat(first.recompute()).hasSize(1);
      assertThat(second.recompute()).as("stands by while the first holds the lease").isEmpty();
      running("iiiiiiiiiii2", MODEL, null);
      clock.advance(500);
      assertThat(second.recompute()).isEmpty();
      assertThat(grantRow("iiiiiiiiiii2")).isFalse();
      assertThat(first.recompute()).hasSize(2);
      assertThat(grant("iiiiiiiiiii2").requestsPerMinute()).isEqualTo(300);

      // The first stops renewing (a crashed process): the second takes over when the lease (5 s)
      // has run out, not before.
      clock.advance(4_900);
      assertThat(second.recompute()).isEmpty();
      clock.advance(200);
      assertThat(second.recompute()).hasSize(2);
      assertThat(first.recompute()).as("the first, back, stands by").isEmpty();

      // Closing gives the lease up: the other takes over at its next period.
      second.close();
      clock.advance(500);
      assertThat(first.recompute()).hasSize(2);
    }
  }

  private static final double GROWTH = 1 + ModelRateController.SLOW_START_GROWTH_PER_SECOND;

  @Test
  void theRateLearnedForAModelIsSharedByItsJobsAndOutlivesTheAllocator() throws Exception {
    double learned;
    try (QuotaAllocator quota = allocator(Map.of())) {
      running("eeeeeeeeeee1", OTHER, null);
      running("eeeeeeeeeee2", OTHER, "normal");
      quota.recompute();
      assertThat(grant("eeeeeeeeeee1").requestsPerMinute()).isEqualTo(30);
      // Slow start while both jobs are held back and send what they may: 60 -> 60 x g^2 in the two
      // seconds
      // after the first half second, in which what they send is not known yet (g: the growth per
      // second).
      for (int i = 0; i < 5; i++) {
        report("eeeeeeeeeee1", 1, 0, true);
        report("eeeeeeeeeee2", 1, 0, true);
        clock.advance(500);
        quota.recompute();
      }
      assertThat(
              grant("eeeeeeeeeee1").requestsPerMinute() + grant("eeeeeeeeeee2").requestsPerMinute())
          .isCloseTo(60 * GROWTH * GROWTH, within(1e-6));
      // The model throttles: one cut for every job on it.
      report("eeeeeeeeeee1", 3, 2, true);
      report("eeeeeeeeeee2", 3, 2, true);
      clock.advance(500);
      quota.recompute();
      learned =
          grant("eeeeeeeeeee1").requestsPerMinute() + grant("eeeeeeeeeee2").requestsPerMinute();
      assertThat(learned).isLessThan(60 * GROWTH * GROWTH);
      assertThat(grant("eeeeeeeeeee1")).isEqualTo(grant("eeeeeeeeeee2"));
      status("eeeeeeeeeee1", "Completed");
      status("eeeeeeeeeee2", "Completed");
      clock.advance(500);
      quota.recompute();
    }
    // A restarted control plane, a new job on the model: it starts where the last ones left off.
    try (QuotaAllocator quota = allocator(Map.of())) {
      running("eeeeeeeeeee3", OTHER, null);
      quota.recompute();
      assertThat(grant("eeeeeeeeeee3").requestsPerMinute())
          .isCloseTo(learned, within(0.02 * learned));
    }
  }

  @Test
  void aRateNoModelEverRefusedKeepsRisingInTheNextJob() throws Exception {
    String model = "amazon.nova-lite-v1:0";
    double reached;
    try (QuotaAllocator quota = allocator(Map.of())) {
      running("fffffffffff1", model, null);
      quota.recompute();
      for (int i = 0; i < 5; i++) {
        report("fffffffffff1", 100, 0, true); // held back, and sending all it may
        clock.advance(500);
        quota.recompute();
      }
      reached = grant("fffffffffff1").requestsPerMinute();
      assertThat(reached).isGreaterThan(60 * GROWTH);
      status("fffffffffff1", "Completed");
      clock.advance(500);
      quota.recompute();
    }
    // the next job starts at the rate reached, and, no 429 having ever come, doubles on from it
    try (QuotaAllocator quota = allocator(Map.of())) {
      running("fffffffffff2", model, null);
      quota.recompute();
      assertThat(grant("fffffffffff2").requestsPerMinute())
          .isCloseTo(reached, within(0.02 * reached));
      for (int i = 0; i < 3; i++) {
        report("fffffffffff2", 100, 0, true);
        clock.advance(500);
        quota.recompute();
      }
      assertThat(grant("fffffffffff2").requestsPerMinute()).isGreaterThan(reached * GROWTH);
    }
  }

  // --- the store, as the lifecycle and the jobs write it ---

  private void running(String jobId, String model, String priority) throws Exception {
    String arn = "arn:aws:bedrock:us-east-1:000000000000:model-invocation-job/" + jobId;
    try (Connection c = StoreConnection.open(address, "test")) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO jobs (job_id, job_arn, account_id, job_name,"
                  + " model_id, role_arn, status, submit_time, last_modified_time, input_config_json, output_config_json,"
                  + " version) VALUES (?, ?, '000000000000', ?, ?, 'arn:aws:iam::000000000000:role/r', 'InProgress', 0, 0,"
                  + " '{}', '{}', 1)")) {
        s.setString(1, jobId);
        s.setString(2, arn);
        s.setString(3, "job-" + jobId);
        s.setString(4, model);
        s.executeUpdate();
      }
    }
    if (priority != null) {
      store.tag(arn, Map.of(Priority.TAG, priority));
    }
  }

  private void status(String jobId, String status) throws Exception {
    try (Connection c = StoreConnection.open(address, "test");
        PreparedStatement s = c.prepareStatement("UPDATE jobs SET status = ? WHERE job_id = ?")) {
      s.setString(1, status);
      s.setString(2, jobId);
      s.executeUpdate();
    }
  }

  /**
   * The job's subtask 0 reports {@code sent} more calls, {@code throttled} more of them answered
   * 429.
   */
  private void report(String jobId, long sent, long throttled, boolean rateLimited)
      throws Exception {
    long total = calls.merge(jobId, sent, Long::sum);
    long totalThrottled = throttles.merge(jobId, throttled, Long::sum);
    try (JdbcQuotaChannel channel = new JdbcQuotaChannel(address, jobId, 0, clock)) {
      channel.report(new RateUsage(0, total, totalThrottled, rateLimited));
    }
  }

  private RateGrant grant(String jobId) throws Exception {
    try (JdbcQuotaChannel channel = new JdbcQuotaChannel(address, jobId, 0, clock)) {
      return channel.readGrant().orElseThrow(() -> new AssertionError("no grant for " + jobId));
    }
  }

  private boolean grantRow(String jobId) throws Exception {
    try (JdbcQuotaChannel channel = new JdbcQuotaChannel(address, jobId, 0, clock)) {
      return channel.readGrant().isPresent();
    }
  }

  private String reason(String jobId) throws Exception {
    return new QuotaTable(store.dataSource()).grants().get(jobId).reason();
  }

  /** A clock that moves only when the test says. */
  private static final class SteppedClock extends Clock {
    private long millis = 1_700_000_000_000L;

    void advance(long by) {
      millis += by;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
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
}
