package dev.quarry.controlplane.store;

import static dev.quarry.controlplane.store.JobStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.job.io.InputFiles;
import dev.quarry.job.io.JsonlFileEnumerator;
import dev.quarry.job.listing.StoredInputListing;
import dev.quarry.job.listing.ValidatedFile;
import dev.quarry.job.progress.JdbcProgressReporterFactory;
import dev.quarry.job.progress.JobProgress;
import dev.quarry.job.progress.ModelCallCounts;
import dev.quarry.job.progress.ModelCallReporter;
import dev.quarry.job.progress.ModelCallTally;
import dev.quarry.job.progress.ProgressReporter;
import dev.quarry.job.progress.ProgressReporterFactory;
import dev.quarry.job.progress.ProgressSql;
import dev.quarry.job.quota.JdbcQuotaChannel;
import dev.quarry.job.quota.RateUsage;
import dev.quarry.job.spec.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link JobStore} database must do; run against H2 ({@link H2JobStoreTest}) and
 * PostgreSQL ({@link PostgresJobStoreTest}). Each test gets an empty database of its own.
 */
abstract class JobStoreContractTest {
  static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");
  static final String ACCOUNT = "123456789012";
  static final String OTHER_ACCOUNT = "210987654321";

  /** Paths from Submitted to each status that has moves out. */
  static final Map<JobStatus, List<JobStatus>> PATH_TO =
      Map.of(
          SUBMITTED, List.of(),
          VALIDATING, List.of(VALIDATING),
          SCHEDULED, List.of(VALIDATING, SCHEDULED),
          IN_PROGRESS, List.of(VALIDATING, SCHEDULED, IN_PROGRESS),
          STOPPING, List.of(STOPPING));

  protected StoreSettings settings;
  protected JdbcJobStore store;
  private final List<JdbcJobStore> opened = new ArrayList<>();

  /** Settings of a new, empty database for one test. */
  protected abstract StoreSettings newDatabase() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    settings = newDatabase();
    store = open(settings);
  }

  @AfterEach
  void closeStores() {
    opened.forEach(JdbcJobStore::close);
  }

  protected JdbcJobStore open(StoreSettings settings) {
    JdbcJobStore opened = JdbcJobStore.open(settings);
    this.opened.add(opened);
    return opened;
  }

  // --- create and find ---

  @Test
  void everyFieldRoundTrips() {
    JobRecord full =
        job("full-job.v1", T0)
            .clientRequestToken("token-1")
            .status(VALIDATING)
            .message("checking the input")
            .lastModifiedTime(T0.plusMillis(1500))
            .endTime(T0.plusSeconds(3600))
            .inputConfigJson(
                "{\"s3InputDataConfig\":{\"s3Uri\":\"s3://in/a.jsonl\",\"s3InputFormat\":\"JSONL\"}}")
            .outputConfigJson(
                "{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://out/\",\"s3EncryptionKeyId\":\"alias/k\"}}")
            .vpcConfigJson("{\"subnetIds\":[\"subnet-1\"],\"securityGroupIds\":[\"sg-1\"]}")
            .timeoutDurationInHours(72)
            .jobExpirationTime(T0.plus(Duration.ofHours(72)))
            .modelInvocationType("Converse")
            .totalRecordCount(1234L)
            .flinkJobId("a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4")
            .stopRequested(true)
            .version(42)
            .recordFormat(RecordFormat.OPENAI_CHAT_COMPLETIONS)
            .build();
    JobRecord bare = job("bare", T0.plusSeconds(1)).build();

    CreateResult created = store.createIfAbsent(full);
    store.createIfAbsent(bare);

    JobRecord expected = full.toBuilder().version(1).build();
    assertThat(created.created()).isTrue();
    assertThat(created.job()).isEqualTo(expected);
    assertThat(store.find(full.jobId())).contains(expected);
    assertThat(store.find(bare.jobId())).contains(bare.toBuilder().version(1).build());
    assertThat(store.find(bare.jobId()).orElseThrow().vpcConfigJson()).isNull();
    assertThat(store.find("nosuchjob000")).isEmpty();
  }

  @Test
  void jsonAndMessagesKeepEveryCharacter() {
    String json =
        "{ \"s3InputDataConfig\" : {\"s3Uri\": \"s3://in/ünïcödé/\\u00e9\" , \"x\": \"'\\\"; DROP TABLE jobs;--\"} }";
    JobRecord job =
        job("chars", T0).inputConfigJson(json).message("über 'quoted' \"text\"\n").build();
    store.createIfAbsent(job);
    JobRecord read = store.find(job.jobId()).orElseThrow();
    assertThat(read.inputConfigJson()).isEqualTo(json);
    assertThat(read.message()).isEqualTo("über 'quoted' \"text\"\n");
  }

  @Test
  void concurrentCreatesWithOneTokenMakeOneJob() throws Exception {
    int threads = 10;
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<CreateResult>> creates = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      JobRecord candidate = job("racer", T0.plusMillis(i)).clientRequestToken("same-token").build();
      creates.add(
          () -> {
            start.await();
            return store.createIfAbsent(candidate);
          });
    }
    List<CreateResult> results = runTogether(creates, start);

    assertThat(results.stream().filter(CreateResult::created)).hasSize(1);
    assertThat(results.stream().map(r -> r.job().jobArn()).distinct()).hasSize(1);
    assertThat(results.stream().map(r -> r.job().version()).distinct()).containsExactly(1L);
    assertThat(store.list(JobQuery.builder().build()).jobs()).hasSize(1);
  }

  @Test
  void tokensAreUniquePerAccountAndAbsentTokensNeverCollide() {
    CreateResult first = store.createIfAbsent(job("a", T0).clientRequestToken("t").build());
    CreateResult again = store.createIfAbsent(job("b", T0).clientRequestToken("t").build());
    CreateResult otherAccount =
        store.createIfAbsent(job("c", T0, OTHER_ACCOUNT).clientRequestToken("t").build());
    CreateResult untokened1 = store.createIfAbsent(job("d", T0).build());
    CreateResult untokened2 = store.createIfAbsent(job("e", T0).build());

    assertThat(again.created()).isFalse();
    assertThat(again.job()).isEqualTo(first.job());
    assertThat(again.job().jobName()).isEqualTo("a");
    assertThat(otherAccount.created()).isTrue();
    assertThat(untokened1.created()).isTrue();
    assertThat(untokened2.created()).isTrue();
  }

  @Test
  void aDuplicateJobIdWithoutAMatchingTokenIsAnError() {
    JobRecord job = job("a", T0).build();
    store.createIfAbsent(job);
    assertThatThrownBy(() -> store.createIfAbsent(job.toBuilder().jobName("b").build()))
        .isInstanceOf(JobStoreException.class)
        .hasMessageContaining(job.jobId());
  }

  // --- the state machine ---

  @Test
  void everyAllowedMoveSucceeds() {
    int n = 0;
    for (Map.Entry<JobStatus, List<JobStatus>> path : PATH_TO.entrySet()) {
      JobStatus from = path.getKey();
      for (JobStatus to : from.successors()) {
        JobRecord job = reach(job("move" + n++, T0).build(), path.getValue());
        Instant at = T0.plusSeconds(100);

        Optional<JobRecord> moved =
            store.transition(job.jobId(), Set.of(from), to, StatusChange.at(at));

        assertThat(moved).as("%s -> %s", from, to).isPresent();
        JobRecord after = moved.orElseThrow();
        assertThat(after.status()).isEqualTo(to);
        assertThat(after.lastModifiedTime()).isEqualTo(at);
        assertThat(after.endTime()).isEqualTo(to.isTerminal() ? at : null);
        assertThat(after.version()).isEqualTo(job.version() + 1);
        assertThat(store.find(job.jobId())).contains(after);
      }
    }
    assertThat(n).isEqualTo(18);
  }

  @Test
  void aForbiddenMoveThrowsAndChangesNothing() {
    JobRecord job = store.createIfAbsent(job("forbidden", T0).build()).job();

    assertThatThrownBy(
            () -> store.transition(job.jobId(), Set.of(SUBMITTED), COMPLETED, StatusChange.at(T0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Submitted")
        .hasMessageContaining("Completed");
    // One forbidden source is enough to refuse, even if the job is in an allowed one.
    assertThatThrownBy(
            () ->
                store.transition(
                    job.jobId(), Set.of(SUBMITTED, COMPLETED), FAILED, StatusChange.at(T0)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.transition(job.jobId(), Set.of(), FAILED, StatusChange.at(T0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.find(job.jobId())).contains(job);
  }

  @Test
  void aStaleFromFindsNothingToMove() {
    JobRecord job = reach(job("stale", T0).build(), List.of(VALIDATING));

    assertThat(
            store.transition(
                job.jobId(), Set.of(SUBMITTED), VALIDATING, StatusChange.at(T0.plusSeconds(5))))
        .isEmpty();
    assertThat(store.transition("nosuchjob000", Set.of(SUBMITTED), VALIDATING, StatusChange.at(T0)))
        .isEmpty();
    assertThat(store.find(job.jobId())).contains(job);
    // Any of several sources: a stop from wherever the job is.
    assertThat(
            store.transition(
                job.jobId(),
                EnumSet.of(SUBMITTED, VALIDATING, SCHEDULED, IN_PROGRESS),
                STOPPING,
                StatusChange.at(T0)))
        .map(JobRecord::status)
        .contains(STOPPING);
  }

  @Test
  void terminalStatusesAreFinal() {
    JobRecord job = reach(job("final", T0).build(), List.of(VALIDATING, FAILED));
    assertThat(job.status()).isEqualTo(FAILED);

    for (JobStatus to : JobStatus.values()) {
      assertThatThrownBy(
              () -> store.transition(job.jobId(), Set.of(FAILED), to, StatusChange.at(T0)))
          .isInstanceOf(IllegalStateException.class);
    }
    for (JobStatus from : PATH_TO.keySet()) {
      for (JobStatus to : from.successors()) {
        assertThat(store.transition(job.jobId(), Set.of(from), to, StatusChange.at(T0))).isEmpty();
      }
    }
    assertThat(store.find(job.jobId())).contains(job);
  }

  @Test
  void aMoveSetsItsMessageOrKeepsTheOldOne() {
    JobRecord job = store.createIfAbsent(job("msg", T0).message("queued").build()).job();
    StatusChange silent = StatusChange.at(T0.plusSeconds(1));
    StatusChange failing =
        StatusChange.builder().at(T0.plusSeconds(2)).message("x".repeat(5000)).build();

    assertThat(
            store
                .transition(job.jobId(), Set.of(SUBMITTED), VALIDATING, silent)
                .orElseThrow()
                .message())
        .isEqualTo("queued");
    JobRecord failed =
        store.transition(job.jobId(), Set.of(VALIDATING), FAILED, failing).orElseThrow();
    assertThat(failed.message()).isEqualTo("x".repeat(2048));
    assertThat(failed.endTime()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void twoReplicasRacingOneMoveMoveItOnce() throws Exception {
    JdbcJobStore replicaA = store;
    JdbcJobStore replicaB = open(settings);
    for (int round = 0; round < 20; round++) {
      JobRecord job = reach(job("race" + round, T0).build(), List.of(VALIDATING, SCHEDULED));
      CountDownLatch start = new CountDownLatch(1);
      List<Callable<Optional<JobRecord>>> moves = new ArrayList<>();
      for (JdbcJobStore replica : List.of(replicaA, replicaB)) {
        moves.add(
            () -> {
              start.await();
              return replica.transition(
                  job.jobId(), Set.of(SCHEDULED), IN_PROGRESS, StatusChange.at(T0));
            });
      }
      List<Optional<JobRecord>> results = runTogether(moves, start);

      assertThat(results.stream().filter(Optional::isPresent)).as("round %d", round).hasSize(1);
      assertThat(replicaB.find(job.jobId()).orElseThrow().version()).isEqualTo(job.version() + 1);
    }
  }

  // --- other changes ---

  @Test
  void updateChangesTheControlPlanesFieldsAtTheExpectedVersion() {
    JobRecord job = store.createIfAbsent(job("upd", T0).build()).job();

    boolean updated =
        store.update(
            job.jobId(),
            job.version(),
            b ->
                b.flinkJobId("flink-1")
                    .totalRecordCount(500L)
                    .jobExpirationTime(T0.plus(Duration.ofHours(24)))
                    .stopRequested(true)
                    .lastModifiedTime(T0.plusSeconds(9)));

    assertThat(updated).isTrue();
    assertThat(store.find(job.jobId()))
        .contains(
            job.toBuilder()
                .flinkJobId("flink-1")
                .totalRecordCount(500L)
                .jobExpirationTime(T0.plus(Duration.ofHours(24)))
                .stopRequested(true)
                .lastModifiedTime(T0.plusSeconds(9))
                .version(job.version() + 1)
                .build());
    assertThat(store.update(job.jobId(), job.version(), b -> b.flinkJobId("flink-2"))).isFalse();
    assertThat(store.update("nosuchjob000", 1, b -> b.flinkJobId("flink-2"))).isFalse();
    assertThat(store.find(job.jobId()).orElseThrow().flinkJobId()).isEqualTo("flink-1");
  }

  @Test
  void updateRefusesToChangeAnythingElse() {
    JobRecord job = store.createIfAbsent(job("upd", T0).build()).job();
    assertThatThrownBy(() -> store.update(job.jobId(), job.version(), b -> b.status(IN_PROGRESS)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transition");
    assertThatThrownBy(() -> store.update(job.jobId(), job.version(), b -> b.version(99)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.update(job.jobId(), job.version(), b -> b.jobName("renamed")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.find(job.jobId())).contains(job);
  }

  @Test
  void findByStatusIsOldestFirst() {
    JobRecord late = reach(job("late", T0.plusSeconds(30)).build(), List.of(VALIDATING, SCHEDULED));
    JobRecord early =
        reach(job("early", T0.plusSeconds(10)).build(), List.of(VALIDATING, SCHEDULED));
    JobRecord submitted = store.createIfAbsent(job("sub", T0.plusSeconds(20)).build()).job();
    reach(job("done", T0).build(), List.of(VALIDATING, FAILED));

    assertThat(store.findByStatus(EnumSet.of(SCHEDULED))).containsExactly(early, late);
    assertThat(store.findByStatus(EnumSet.of(SUBMITTED, SCHEDULED)))
        .containsExactly(early, submitted, late);
    assertThat(store.findByStatus(EnumSet.of(IN_PROGRESS))).isEmpty();
    assertThat(store.findByStatus(Set.of())).isEmpty();
  }

  // --- list ---

  @Test
  void listFiltersAndSorts() {
    JobRecord a = store.createIfAbsent(job("alpha-report", T0.plusSeconds(1)).build()).job();
    JobRecord b = reach(job("beta-report", T0.plusSeconds(2)).build(), List.of(VALIDATING));
    JobRecord c = reach(job("gamma", T0.plusSeconds(3)).build(), List.of(VALIDATING, FAILED));
    JobRecord d = store.createIfAbsent(job("delta-Report", T0.plusSeconds(4)).build()).job();
    JobRecord e =
        store.createIfAbsent(job("alpha", T0.plusSeconds(4), OTHER_ACCOUNT).build()).job();

    assertThat(ids(JobQuery.builder().build())).containsExactlyElementsOf(desc(a, b, c, d, e));
    assertThat(ids(JobQuery.builder().sortOrder(SortOrder.DESCENDING).accountId(ACCOUNT).build()))
        .containsExactlyElementsOf(desc(a, b, c, d));
    assertThat(ids(JobQuery.builder().sortOrder(SortOrder.ASCENDING).accountId(ACCOUNT).build()))
        .containsExactlyElementsOf(asc(a, b, c, d));
    assertThat(ids(JobQuery.builder().sortOrder(SortOrder.ASCENDING).build()))
        .containsExactlyElementsOf(asc(a, b, c, d, e));
    assertThat(ids(JobQuery.builder().accountId(OTHER_ACCOUNT).build())).containsExactly(e.jobId());
    assertThat(ids(JobQuery.builder().statusEquals(VALIDATING).build())).containsExactly(b.jobId());
    assertThat(
            ids(JobQuery.builder().statusEquals(SUBMITTED).sortOrder(SortOrder.ASCENDING).build()))
        .containsExactlyElementsOf(asc(a, d, e));
    assertThat(ids(JobQuery.builder().statusEquals(IN_PROGRESS).build())).isEmpty();
    // Case-sensitive, anywhere in the name; LIKE's wildcards are plain characters.
    assertThat(ids(JobQuery.builder().nameContains("report").build()))
        .containsExactlyElementsOf(desc(a, b));
    assertThat(ids(JobQuery.builder().nameContains("alpha").build()))
        .containsExactlyElementsOf(desc(a, e));
    assertThat(ids(JobQuery.builder().nameContains("alpha").accountId(ACCOUNT).build()))
        .containsExactly(a.jobId());
    assertThat(ids(JobQuery.builder().nameContains("a-r").build()))
        .containsExactlyElementsOf(desc(a, b));
    assertThat(ids(JobQuery.builder().nameContains("%").build())).isEmpty();
    assertThat(ids(JobQuery.builder().nameContains("_").build())).isEmpty();
    assertThat(ids(JobQuery.builder().nameContains("!").build())).isEmpty();
    // Time bounds are strict.
    assertThat(
            ids(JobQuery.builder().submitTimeAfter(T0.plusSeconds(2)).accountId(ACCOUNT).build()))
        .containsExactlyElementsOf(desc(c, d));
    assertThat(ids(JobQuery.builder().submitTimeBefore(T0.plusSeconds(3)).build()))
        .containsExactlyElementsOf(desc(a, b));
    assertThat(
            ids(
                JobQuery.builder()
                    .submitTimeAfter(T0.plusSeconds(1))
                    .submitTimeBefore(T0.plusSeconds(4))
                    .sortOrder(SortOrder.ASCENDING)
                    .build()))
        .containsExactlyElementsOf(asc(b, c));
    assertThat(
            ids(
                JobQuery.builder()
                    .submitTimeAfter(T0)
                    .statusEquals(SUBMITTED)
                    .nameContains("alpha")
                    .accountId(ACCOUNT)
                    .build()))
        .containsExactly(a.jobId());
    assertThat(ids(JobQuery.builder().statusEquals(FAILED).nameContains("alpha").build()))
        .isEmpty();
  }

  @Test
  void pagesOfEverySizeCoverTheListingOnce() {
    List<JobRecord> jobs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // Pairs of equal submit times: the job id breaks the tie.
      jobs.add(store.createIfAbsent(job("page" + i, T0.plusSeconds(i / 2)).build()).job());
    }
    for (SortOrder order : SortOrder.values()) {
      List<String> all = ids(JobQuery.builder().sortOrder(order).build());
      assertThat(all).hasSize(7);
      for (int size = 1; size <= 8; size++) {
        List<JobPage> pages = pages(JobQuery.builder().sortOrder(order).maxResults(size).build());
        assertThat(pages).as("%s by %d", order, size).hasSize(Math.max(1, (7 + size - 1) / size));
        assertThat(pages.stream().flatMap(p -> p.jobs().stream()).map(JobRecord::jobId))
            .as("%s by %d", order, size)
            .containsExactlyElementsOf(all);
        assertThat(pages.get(pages.size() - 1).nextToken()).isNull();
      }
    }
  }

  @Test
  void pagingWhileJobsAreCreatedNeitherSkipsNorRepeats() throws Exception {
    Set<String> before = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      before.add(store.createIfAbsent(job("old" + i, T0.plusSeconds(i / 3)).build()).job().jobId());
    }
    AtomicBoolean creating = new AtomicBoolean(true);
    AtomicInteger created = new AtomicInteger();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<?> writing =
        writer.submit(
            () -> {
              while (creating.get()) {
                int n = created.getAndIncrement();
                // New jobs arrive at "now", later than every job that existed before.
                store.createIfAbsent(job("new" + n, T0.plusSeconds(100 + n / 2)).build());
              }
              return null;
            });
    try {
      // Page only once the writer is really writing: on a loaded machine it may not have run yet.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (created.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      for (SortOrder order : SortOrder.values()) {
        for (int size : new int[] {1, 4, 7}) {
          List<String> seen = new ArrayList<>();
          JobQuery query = JobQuery.builder().sortOrder(order).maxResults(size).build();
          String token = null;
          int pages = 0;
          do {
            JobPage page = store.list(query.toBuilder().nextToken(token).build());
            page.jobs().forEach(j -> seen.add(j.jobId()));
            token = page.nextToken();
            // Ascending pages follow the writer; stop once past every job that existed before.
            // Descending pages walk down through every job the writer made before the first
            // page, so the bound on pages grows with the writer (a fixed 200 was hit in CI).
          } while (token != null
              && ++pages <= (before.size() + created.get()) / size + 2
              && pages < 20_000
              && !seen.containsAll(before));
          assertThat(seen).as("%s by %d", order, size).doesNotHaveDuplicates();
          assertThat(seen).as("%s by %d", order, size).containsAll(before);
        }
      }
    } finally {
      creating.set(false);
      writing.get(10, TimeUnit.SECONDS);
      writer.shutdown();
    }
    assertThat(created.get()).isPositive();
  }

  @Test
  void aForeignOrBrokenTokenIsRefused() {
    for (int i = 0; i < 3; i++) {
      store.createIfAbsent(job("tok" + i, T0.plusSeconds(i)).build());
    }
    JobQuery query = JobQuery.builder().maxResults(1).statusEquals(SUBMITTED).build();
    String token = store.list(query).nextToken();
    assertThat(token).isNotNull().matches("^\\S{1,2048}$");

    // The page size may change between pages; the filters and the order may not.
    assertThat(store.list(query.toBuilder().maxResults(5).nextToken(token).build()).jobs())
        .hasSize(2);
    for (JobQuery foreign :
        List.of(
            query.toBuilder().statusEquals(null).nextToken(token).build(),
            query.toBuilder().statusEquals(VALIDATING).nextToken(token).build(),
            query.toBuilder().sortOrder(SortOrder.ASCENDING).nextToken(token).build(),
            query.toBuilder().nameContains("tok").nextToken(token).build(),
            query.toBuilder().accountId(ACCOUNT).nextToken(token).build(),
            query.toBuilder().submitTimeAfter(T0).nextToken(token).build())) {
      assertThatThrownBy(() -> store.list(foreign)).isInstanceOf(InvalidNextTokenException.class);
    }
    String forged =
        Base64.getUrlEncoder().encodeToString("v1|x|abc|0".getBytes(StandardCharsets.UTF_8));
    for (String broken :
        List.of("", "not a token!", "%%%", forged, token.substring(1), token + "AAAA")) {
      assertThatThrownBy(() -> store.list(query.toBuilder().nextToken(broken).build()))
          .as(broken)
          .isInstanceOf(InvalidNextTokenException.class)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  // --- tags ---

  @Test
  void tagsUpsertUntagAndListSortedByKey() {
    String arn = "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":model-invocation-job/abcdefabcdef";
    String other = "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":model-invocation-job/zzzzzzzzzzzz";
    Map<String, String> first = new LinkedHashMap<>();
    first.put("team", "ml");
    first.put("cost-center", "42");
    first.put("Empty", "");

    store.tag(arn, first);
    store.tag(arn, Map.of("team", "research", "project", "quarry"));
    store.tag(other, Map.of("team", "other"));

    assertThat(store.tags(arn))
        .containsExactly(
            Map.entry("Empty", ""),
            Map.entry("cost-center", "42"),
            Map.entry("project", "quarry"),
            Map.entry("team", "research"));

    store.untag(arn, List.of("cost-center", "no-such-key", "Empty"));

    assertThat(store.tags(arn))
        .containsExactly(Map.entry("project", "quarry"), Map.entry("team", "research"));
    assertThat(store.tags(other)).containsExactly(Map.entry("team", "other"));
    assertThat(
            store.tags(
                "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":model-invocation-job/nonenonenone"))
        .isEmpty();
    store.untag(arn, List.of());
    store.tag(arn, Map.of());
    assertThat(store.tags(arn)).hasSize(2);
  }

  @Test
  void concurrentTaggersOfOneKeyBothSucceed() throws Exception {
    String arn = "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":model-invocation-job/abcdefabcdef";
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Boolean>> taggers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String value = "v" + i;
      taggers.add(
          () -> {
            start.await();
            store.tag(arn, Map.of("k", value, "k" + value, value));
            return true;
          });
    }
    runTogether(taggers, start);
    assertThat(store.tags(arn)).hasSize(7).containsKey("k");
  }

  // --- progress ---

  @Test
  void getShowsTheSumOfTheSubtasksUntilTheFinalCounts() {
    JobRecord job =
        reach(
            job("counted", T0).totalRecordCount(100L).build(),
            List.of(VALIDATING, SCHEDULED, IN_PROGRESS));
    JobRecord idle =
        reach(job("idle", T0.plusSeconds(1)).build(), List.of(VALIDATING, SCHEDULED, IN_PROGRESS));
    assertThat(store.find(job.jobId()).orElseThrow().counts()).isNull();

    ProgressReporterFactory reporters = new JdbcProgressReporterFactory(store.progressAddress());
    try (ProgressReporter subtask0 = reporters.create(job.jobId());
        ProgressReporter subtask1 = reporters.create(job.jobId())) {
      subtask0.reportSubtask(0, new JobProgress(10, 9, 1, 900, 1800));
      subtask1.reportSubtask(1, new JobProgress(5, 5, 0, 500, 1000));
      subtask0.reportSubtask(0, new JobProgress(20, 18, 2, 1800, 3600));

      JobRecord live = store.find(job.jobId()).orElseThrow();
      assertCounts(live, 100L, 25, 23, 2, 2300, 4600);
      assertThat(live.version()).isEqualTo(job.version());
      assertCounts(
          store.list(JobQuery.builder().statusEquals(IN_PROGRESS).build()).jobs().stream()
              .filter(j -> j.jobId().equals(job.jobId()))
              .findFirst()
              .orElseThrow(),
          100L,
          25,
          23,
          2,
          2300,
          4600);
      assertThat(store.find(idle.jobId()).orElseThrow().counts()).isNull();

      subtask1.reportFinal(26, new JobProgress(26, 23, 3, 2300, 4600));
      subtask0.reportSubtask(0, new JobProgress(21, 18, 3, 1800, 3600));
    }

    assertCounts(store.find(job.jobId()).orElseThrow(), 26L, 26, 23, 3, 2300, 4600);
    assertCounts(store.findByStatus(EnumSet.of(IN_PROGRESS)).get(0), 26L, 26, 23, 3, 2300, 4600);
    // A later update by the control plane does not overwrite the job's reported total.
    JobRecord stored = store.find(job.jobId()).orElseThrow();
    assertThat(store.update(job.jobId(), stored.version(), b -> b.flinkJobId("f"))).isTrue();
    assertThat(store.find(job.jobId()).orElseThrow().totalRecordCount()).isEqualTo(26L);
  }

  // --- event outbox ---

  static final List<String> HOOKS = List.of("http://a.example/hook", "https://b.example/h?t=1");
  static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

  /**
   * Events whose body names the job and its status; writing one fails for the statuses in {@code
   * failOn}.
   */
  static StatusEvents events(List<String> destinations, Set<JobStatus> failOn) {
    return new StatusEvents() {
      @Override
      public List<String> destinations() {
        return destinations;
      }

      @Override
      public StatusEvent of(JobRecord job) {
        if (failOn.contains(job.status())) {
          throw new IllegalStateException("no event for " + job.status());
        }
        return new StatusEvent(
            java.util.UUID.randomUUID().toString(),
            "{\"job\":\"" + job.jobId() + "\",\"status\":\"" + job.status().wireName() + "\"}");
      }
    };
  }

  JdbcJobStore openWithEvents(List<String> destinations, Set<JobStatus> failOn) {
    store.close();
    opened.remove(store);
    store = opened(JdbcJobStore.open(settings, events(destinations, failOn)));
    return store;
  }

  private JdbcJobStore opened(JdbcJobStore s) {
    opened.add(s);
    return s;
  }

  /** Every event of {@code destination}, oldest first, taking each as delivered. */
  static List<PendingEvent> drain(EventOutbox outbox, String destination) {
    List<PendingEvent> all = new ArrayList<>();
    for (List<PendingEvent> due = outbox.due(destination, FAR, 100);
        !due.isEmpty();
        due = outbox.due(destination, FAR, 100)) {
      for (PendingEvent e : due) {
        all.add(e);
        outbox.remove(e.seq());
      }
    }
    return all;
  }

  @Test
  void everyStatusChangeQueuesOneEventForEachDestination() {
    openWithEvents(HOOKS, Set.of());
    JobRecord job =
        reach(job("evented", T0).build(), List.of(VALIDATING, SCHEDULED, IN_PROGRESS, COMPLETED));
    JobRecord other = reach(job("other", T0).build(), List.of(STOPPING, STOPPED));
    // a move that does not happen queues nothing
    assertThat(store.transition(job.jobId(), Set.of(IN_PROGRESS), FAILED, StatusChange.at(T0)))
        .isEmpty();

    assertThat(store.outbox().destinations()).containsExactlyInAnyOrderElementsOf(HOOKS);
    for (String hook : HOOKS) {
      assertThat(store.outbox().pending(hook)).isEqualTo(8);
      List<PendingEvent> events = drain(store.outbox(), hook);
      assertThat(
              events.stream().filter(e -> e.jobId().equals(job.jobId())).map(PendingEvent::status))
          .containsExactly(SUBMITTED, VALIDATING, SCHEDULED, IN_PROGRESS, COMPLETED);
      assertThat(
              events.stream()
                  .filter(e -> e.jobId().equals(other.jobId()))
                  .map(PendingEvent::status))
          .containsExactly(SUBMITTED, STOPPING, STOPPED);
      assertThat(events)
          .allSatisfy(
              e -> {
                assertThat(e.destination()).isEqualTo(hook);
                assertThat(e.attempts()).isZero();
                assertThat(e.body()).contains(e.jobId()).contains(e.status().wireName());
              });
    }
    // one event, one id, whatever the destination
    openWithEvents(HOOKS, Set.of());
    JobRecord third = store.createIfAbsent(job("third", T0).build()).job();
    String id0 = store.outbox().due(HOOKS.get(0), FAR, 10).get(0).eventId();
    assertThat(store.outbox().due(HOOKS.get(1), FAR, 10).get(0).eventId()).isEqualTo(id0);
    assertThat(third.status()).isEqualTo(SUBMITTED);
  }

  @Test
  void aRepeatedCreateQueuesNoSecondEvent() {
    openWithEvents(HOOKS.subList(0, 1), Set.of());
    JobRecord first = store.createIfAbsent(job("once", T0).clientRequestToken("tok").build()).job();
    CreateResult again = store.createIfAbsent(job("once", T0).clientRequestToken("tok").build());
    assertThat(again.created()).isFalse();
    assertThat(again.job().jobId()).isEqualTo(first.jobId());
    assertThat(store.outbox().pending(HOOKS.get(0))).isEqualTo(1);
  }

  @Test
  void aChangeWhoseEventCannotBeQueuedDoesNotHappen() {
    openWithEvents(HOOKS, Set.of(FAILED, SUBMITTED));
    assertThatThrownBy(() -> store.createIfAbsent(job("unannounced", T0).build()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.list(JobQuery.builder().build()).jobs()).isEmpty();

    openWithEvents(HOOKS, Set.of(FAILED));
    JobRecord job = reach(job("stays", T0).build(), List.of(VALIDATING));
    assertThatThrownBy(
            () ->
                store.transition(
                    job.jobId(),
                    Set.of(VALIDATING),
                    FAILED,
                    StatusChange.builder().at(T0).message("x").build()))
        .isInstanceOf(IllegalStateException.class);
    JobRecord after = store.find(job.jobId()).orElseThrow();
    assertThat(after.status()).isEqualTo(VALIDATING);
    assertThat(after.message()).isNull();
    assertThat(store.outbox().pending(HOOKS.get(0))).isEqualTo(2);
  }

  @Test
  void onlyEachJobsOldestEventIsDueAndOnlyOneCallerMaySendIt() {
    String hook = HOOKS.get(0);
    openWithEvents(List.of(hook), Set.of());
    JobRecord a = reach(job("a", T0).build(), List.of(VALIDATING));
    JobRecord b = reach(job("b", T0.plusSeconds(1)).build(), List.of(VALIDATING));

    List<PendingEvent> due = store.outbox().due(hook, T0.plusSeconds(5), 10);
    assertThat(due).extracting(PendingEvent::jobId).containsExactly(a.jobId(), b.jobId());
    assertThat(due).extracting(PendingEvent::status).containsOnly(SUBMITTED);
    assertThat(store.outbox().due(hook, T0.minusSeconds(1), 10)).isEmpty();

    PendingEvent headA = due.get(0);
    assertThat(store.outbox().claim(headA, T0.plusSeconds(60))).isTrue();
    assertThat(store.outbox().claim(headA, T0.plusSeconds(60))).as("claimed already").isFalse();
    // while claimed (leased), neither it nor anything behind it is due
    assertThat(store.outbox().due(hook, T0.plusSeconds(5), 10))
        .extracting(PendingEvent::jobId)
        .containsExactly(b.jobId());
    store.outbox().retryAt(headA.seq(), T0.plusSeconds(10), "HTTP 500");
    PendingEvent retried = store.outbox().due(hook, T0.plusSeconds(10), 10).get(0);
    assertThat(retried.seq()).isEqualTo(headA.seq());
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.lastError()).isEqualTo("HTTP 500");
    assertThat(retried.nextAttemptAt()).isEqualTo(T0.plusSeconds(10));

    store.outbox().remove(headA.seq());
    assertThat(store.outbox().due(hook, T0.plusSeconds(10), 10))
        .extracting(PendingEvent::jobId, PendingEvent::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(a.jobId(), VALIDATING),
            org.assertj.core.groups.Tuple.tuple(b.jobId(), SUBMITTED));
    assertThat(store.outbox().due(hook, T0.plusSeconds(10), 1)).hasSize(1);
  }

  @Test
  void trimKeepsADestinationsNewestEventsAndRemoveAllEmptiesIt() {
    openWithEvents(HOOKS, Set.of());
    for (int i = 0; i < 3; i++) {
      reach(job("t" + i, T0.plusSeconds(i)).build(), List.of(VALIDATING));
    }
    String first = HOOKS.get(0);
    List<Long> seqs = store.outbox().due(first, FAR, 10).stream().map(PendingEvent::seq).toList();
    assertThat(store.outbox().trim(first, 4)).isEqualTo(2);
    assertThat(store.outbox().trim(first, 4)).isZero();
    assertThat(store.outbox().pending(first)).isEqualTo(4);
    assertThat(drain(store.outbox(), first))
        .extracting(PendingEvent::seq)
        .allSatisfy(seq -> assertThat(seq).isGreaterThan(seqs.get(0)));
    assertThat(store.outbox().pending(HOOKS.get(1))).isEqualTo(6);
    assertThat(store.outbox().removeAll(HOOKS.get(1))).isEqualTo(6);
    assertThat(store.outbox().destinations()).isEmpty();
  }

  @Test
  void totalsNeverTakeBackWhatARunReportedNorCountItTwice() throws Exception {
    String haiku = "anthropic.claude-3-haiku-20240307-v1:0";
    String nova = "amazon.nova-lite-v1:0";
    JobRecord restored =
        reach(job("restored", T0).build(), List.of(VALIDATING, SCHEDULED, IN_PROGRESS));
    JobRecord stopped =
        reach(
            job("stopped", T0.plusSeconds(1)).build(), List.of(VALIDATING, SCHEDULED, IN_PROGRESS));
    JobRecord elsewhere =
        reach(
            job("elsewhere", T0.plusSeconds(2), OTHER_ACCOUNT).modelId(nova).build(),
            List.of(VALIDATING, SCHEDULED, IN_PROGRESS));
    store.createIfAbsent(job("queued", T0.plusSeconds(3)).build());

    ProgressReporterFactory reporters = new JdbcProgressReporterFactory(store.progressAddress());
    // "restored": its writer reported 8 records, failed, came back from a checkpoint at 5 and went
    // on
    try (ProgressReporter failed = reporters.create(restored.jobId())) {
      failed.reportSubtask(0, new JobProgress(8, 7, 1, 70, 140));
    }
    try (ProgressReporter again = reporters.create(restored.jobId())) {
      again.reportSubtask(0, new JobProgress(5, 4, 1, 40, 80));
      assertThat(usage(store.totals(), ACCOUNT, haiku))
          .as("the restore takes nothing back")
          .isEqualTo(new JobCounts(8, 7, 1, 70, 140));
      again.reportSubtask(0, new JobProgress(10, 9, 1, 90, 180));
      again.reportFinal(10, new JobProgress(10, 9, 1, 90, 180));
    }
    // "stopped": reported 6 before a failover, and was stopped after its restore at 4: final 4
    try (ProgressReporter failed = reporters.create(stopped.jobId())) {
      failed.reportSubtask(0, new JobProgress(6, 6, 0, 60, 120));
    }
    try (ProgressReporter again = reporters.create(stopped.jobId())) {
      again.reportSubtask(0, new JobProgress(4, 4, 0, 40, 80));
      again.reportFinal(4, new JobProgress(4, 4, 0, 40, 80));
    }
    // "elsewhere": final counts only (it finished before the store had run rows)
    try (ProgressReporter writer = reporters.create(elsewhere.jobId())) {
      writer.reportFinal(3, new JobProgress(3, 3, 0, 30, 60));
    }
    // model calls: two runs of one subtask of "restored", one of "elsewhere"
    ModelCallTally first = new ModelCallTally();
    ModelCallTally second = new ModelCallTally();
    ModelCallTally novaCalls = new ModelCallTally();
    call(first, 2_000_000L, 0);
    call(first, 3_000_000L, 429);
    first.retried();
    call(second, 40_000_000L, 0);
    call(second, 1_000_000L, 503);
    call(novaCalls, 7_000_000_000L, 0);
    report(restored.jobId(), first);
    report(restored.jobId(), second);
    report(elsewhere.jobId(), novaCalls);

    // "stopped" has no calls yet, but its quota follower reported the rate it allows itself
    try (JdbcQuotaChannel quota =
        new JdbcQuotaChannel(store.progressAddress(), stopped.jobId(), 0, Clock.systemUTC())) {
      quota.report(new RateUsage(120, 0, 0, false));
    }
    assertThat(store.runningJobCalls())
        .as(
            "calls and 429s from the run tables, every run; the allowed rate from the progress rows")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                restored.jobId(), new JobCalls(4, 1, 0),
                stopped.jobId(), new JobCalls(0, 0, 120),
                elsewhere.jobId(), new JobCalls(1, 0, 0)));

    StoreTotals totals = store.totals();
    assertThat(usage(totals, ACCOUNT, haiku))
        .as("10 + the largest the stopped job ever reported")
        .isEqualTo(new JobCounts(16, 15, 1, 150, 300));
    assertThat(usage(totals, OTHER_ACCOUNT, nova)).isEqualTo(new JobCounts(3, 3, 0, 30, 60));
    assertThat(totals.jobs())
        .containsExactlyInAnyOrder(
            new StoreTotals.StatusCount(ACCOUNT, IN_PROGRESS, 2),
            new StoreTotals.StatusCount(ACCOUNT, SUBMITTED, 1),
            new StoreTotals.StatusCount(OTHER_ACCOUNT, IN_PROGRESS, 1));
    ModelCallCounts calls = totals.calls().get(haiku);
    assertThat(calls.calls()).isEqualTo(4);
    assertThat(calls.answered()).isEqualTo(4);
    assertThat(calls.throttled()).isEqualTo(1);
    assertThat(calls.retries()).isEqualTo(1);
    assertThat(calls.errorsByCode()).isEqualTo(Map.of(429, 1L, 503, 1L));
    assertThat(calls.latencySumMicros()).isEqualTo(46_000);
    assertThat(calls.latencyBuckets().get(ProgressSql.LATENCY_BOUNDS_MILLIS.indexOf(5L)))
        .isEqualTo(3);
    assertThat(calls.latencyBuckets().get(ProgressSql.LATENCY_BOUNDS_MILLIS.indexOf(50L)))
        .isEqualTo(1);
    ModelCallCounts slow = totals.calls().get(nova);
    assertThat(slow.answered()).isEqualTo(1);
    assertThat(slow.latencyBuckets().stream().mapToLong(Long::longValue).sum())
        .as("7 s lands in the 10 s bucket")
        .isEqualTo(1);
    assertThat(slow.latencyBuckets().get(ProgressSql.LATENCY_BOUNDS_MILLIS.indexOf(10_000L)))
        .isEqualTo(1);
  }

  private static JobCounts usage(StoreTotals totals, String account, String model) {
    return totals.usage().stream()
        .filter(u -> u.accountId().equals(account) && u.modelId().equals(model))
        .map(StoreTotals.Usage::counts)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no usage of " + account + " " + model));
  }

  private static void call(ModelCallTally tally, long nanos, int failedWith) {
    tally.sent();
    tally.answered(nanos);
    if (failedWith != 0) {
      tally.failed(failedWith, failedWith == 429);
    }
  }

  private void report(String jobId, ModelCallTally tally) {
    // closing reports at once, whatever the interval
    ModelCallReporter.start(store.progressAddress(), jobId, 0, 60_000, tally::counts).close();
  }

  // --- the validated input listing ---

  /** {@code count} files with names S3 allows and paths must keep: spaces, %, #, +, non-ASCII. */
  static List<ValidatedFile> validatedFiles(String prefix, int count) {
    List<ValidatedFile> files = new ArrayList<>();
    String[] odd = {"plain", "with space", "per%25cent", "hash#tag", "plus+sign", "ünïcödé-文件"};
    for (int i = 0; i < count; i++) {
      files.add(
          new ValidatedFile(
              prefix + "part-" + String.format("%05d", i) + "-" + odd[i % odd.length] + ".jsonl",
              1_000L + i,
              1_700_000_000_000L + i,
              i % 7));
    }
    return files;
  }

  @Test
  void validationsListingIsStoredInOrderWithItsTotalAndTheJobReadsItBack() throws Exception {
    JobRecord job = reach(job("listed", T0).build(), List.of(VALIDATING));
    JobRecord other = reach(job("neighbour", T0).build(), List.of(VALIDATING));
    // more than two JDBC batches, the last one partial
    List<ValidatedFile> files = validatedFiles("s3://in/run/", 2 * InputListingRows.BATCH_ROWS + 7);
    long total = files.stream().mapToLong(ValidatedFile::records).sum();

    assertThat(store.recordValidatedInput(job.jobId(), files)).isTrue();
    assertThat(store.recordValidatedInput(other.jobId(), validatedFiles("s3://in/other/", 3)))
        .isTrue();

    JobRecord recorded = store.find(job.jobId()).orElseThrow();
    assertThat(recorded.totalRecordCount()).isEqualTo(total);
    assertThat(recorded.version()).isEqualTo(job.version() + 1);
    assertThat(recorded.status()).isEqualTo(VALIDATING);
    assertThat(store.validatedInput(job.jobId())).containsExactlyElementsOf(files);
    // as the job's source reads it: over the progress address, as the progress role on PostgreSQL
    assertThat(new StoredInputListing(store.progressAddress(), job.jobId()).read())
        .hasValueSatisfying(read -> assertThat(read).containsExactlyElementsOf(files));
    assertThat(new StoredInputListing(store.progressAddress(), "nosuchjob000").read()).isEmpty();
    assertThat(store.validatedInput("nosuchjob000")).isEmpty();
  }

  @Test
  void aSecondValidationReplacesTheListingAndOnlyAValidatingJobTakesOne() {
    JobRecord job = reach(job("revalidated", T0).build(), List.of(VALIDATING));
    assertThat(store.recordValidatedInput(job.jobId(), validatedFiles("s3://in/a/", 5))).isTrue();
    List<ValidatedFile> second = validatedFiles("s3://in/b/", 2);
    assertThat(store.recordValidatedInput(job.jobId(), second)).isTrue();
    assertThat(store.validatedInput(job.jobId())).containsExactlyElementsOf(second);
    assertThat(store.find(job.jobId()).orElseThrow().totalRecordCount()).isEqualTo(1);

    JobRecord submitted = store.createIfAbsent(job("early", T0).build()).job();
    JobRecord scheduled = reach(job("late", T0).build(), List.of(VALIDATING, SCHEDULED));
    for (JobRecord notValidating : List.of(submitted, scheduled)) {
      assertThat(store.recordValidatedInput(notValidating.jobId(), validatedFiles("s3://in/c/", 3)))
          .isFalse();
      assertThat(store.validatedInput(notValidating.jobId())).isEmpty();
      assertThat(store.find(notValidating.jobId())).contains(notValidating);
    }
    assertThat(store.recordValidatedInput("nosuchjob000", second)).isFalse();
    assertThatThrownBy(() -> store.recordValidatedInput(job.jobId(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replicasValidatingOneJobTogetherLeaveOneWholeListingAndItsTotal() throws Exception {
    JdbcJobStore replicaB = open(settings);
    for (int round = 0; round < 10; round++) {
      JobRecord job = reach(job("twice" + round, T0).build(), List.of(VALIDATING));
      List<ValidatedFile> a = validatedFiles("s3://in/a/", 1_500);
      List<ValidatedFile> b = validatedFiles("s3://in/b/", 1_200);
      CountDownLatch start = new CountDownLatch(1);
      List<Boolean> recorded =
          runTogether(
              List.of(
                  () -> {
                    start.await();
                    return store.recordValidatedInput(job.jobId(), a);
                  },
                  () -> {
                    start.await();
                    return replicaB.recordValidatedInput(job.jobId(), b);
                  }),
              start);
      assertThat(recorded).containsOnly(true);
      List<ValidatedFile> stored = store.validatedInput(job.jobId());
      assertThat(stored).as("round %d", round).isIn(a, b);
      assertThat(store.find(job.jobId()).orElseThrow().totalRecordCount())
          .isEqualTo(stored.stream().mapToLong(ValidatedFile::records).sum());
    }
  }

  @Test
  void aJobsListingGoesWhenItEndsAndOnlyThen() {
    Map<JobStatus, List<JobStatus>> toEnd =
        Map.of(
            COMPLETED, List.of(SCHEDULED, IN_PROGRESS, COMPLETED),
            FAILED, List.of(FAILED),
            STOPPED, List.of(SCHEDULED, STOPPING, STOPPED),
            EXPIRED, List.of(SCHEDULED, EXPIRED),
            PARTIALLY_COMPLETED, List.of(SCHEDULED, IN_PROGRESS, PARTIALLY_COMPLETED));
    JobRecord bystander = reach(job("bystander", T0).build(), List.of(VALIDATING));
    List<ValidatedFile> kept = validatedFiles("s3://in/kept/", 4);
    store.recordValidatedInput(bystander.jobId(), kept);
    for (Map.Entry<JobStatus, List<JobStatus>> end : toEnd.entrySet()) {
      JobRecord job = reach(job("ends-" + end.getKey(), T0).build(), List.of(VALIDATING));
      List<ValidatedFile> files = validatedFiles("s3://in/" + end.getKey() + "/", 3);
      assertThat(store.recordValidatedInput(job.jobId(), files)).isTrue();
      JobStatus current = VALIDATING;
      for (JobStatus next : end.getValue()) {
        assertThat(store.validatedInput(job.jobId()))
            .as("%s, on its way to %s", current, end.getKey())
            .containsExactlyElementsOf(files);
        store.transition(job.jobId(), Set.of(current), next, StatusChange.at(T0)).orElseThrow();
        current = next;
      }
      assertThat(store.validatedInput(job.jobId())).as(end.getKey().toString()).isEmpty();
    }
    assertThat(store.validatedInput(bystander.jobId())).containsExactlyElementsOf(kept);
  }

  /**
   * The job's source takes its splits from the stored listing: a file put under the prefix after
   * validation is not read, and each split keeps the size and time validation listed.
   */
  @Test
  void theSourceEnumeratorReadsTheStoredListingNotTheFolder(@TempDir java.nio.file.Path input)
      throws Exception {
    Files.writeString(input.resolve("a.jsonl"), "{}\n{}\n");
    Files.createDirectories(input.resolve("nested"));
    Files.writeString(input.resolve("nested/b.jsonl"), "{}\n");
    Path root = new Path(input.toUri());
    List<ValidatedFile> validated = new ArrayList<>();
    for (FileStatus f : InputFiles.list(root)) {
      validated.add(
          new ValidatedFile(
              f.getPath().toString(), f.getLen(), f.getModificationTime(), f.getLen() / 3));
    }
    JobRecord job = reach(job("enumerated", T0).build(), List.of(VALIDATING));
    store.recordValidatedInput(job.jobId(), validated);
    Files.writeString(input.resolve("added-after-validation.jsonl"), "{}\n");

    Collection<FileSourceSplit> splits =
        new JsonlFileEnumerator(new StoredInputListing(store.progressAddress(), job.jobId()))
            .enumerateSplits(new Path[] {root}, 1);

    assertThat(splits)
        .extracting(sp -> sp.path().toString())
        .containsExactlyElementsOf(validated.stream().map(ValidatedFile::path).toList());
    assertThat(splits)
        .extracting(FileSourceSplit::path)
        .as("the same paths the listing names, so outputs are named as before")
        .containsExactlyElementsOf(
            InputFiles.list(root).stream()
                .map(FileStatus::getPath)
                .filter(p -> !p.getName().startsWith("added"))
                .toList());
    for (FileSourceSplit sp : splits) {
      ValidatedFile file =
          validated.stream().filter(v -> v.path().equals(sp.path().toString())).findFirst().get();
      assertThat(sp.offset()).isZero();
      assertThat(sp.length()).isEqualTo(file.sizeBytes());
      assertThat(sp.fileSize()).isEqualTo(file.sizeBytes());
      assertThat(sp.fileModificationTime()).isEqualTo(file.modifiedMillis());
    }
    assertThat(new JsonlFileEnumerator().enumerateSplits(new Path[] {root}, 1))
        .as("a spec without a listing lists the folder as it is now")
        .hasSize(3);
  }

  // --- leases ---

  @Test
  void aLeaseHasOneHolderUntilItRunsOutOrIsGivenUp() throws Exception {
    Duration length = Duration.ofSeconds(5);
    StoreLease a = new StoreLease(store.dataSource(), "test-lease", "replica-a", length);
    StoreLease b = new StoreLease(store.dataSource(), "test-lease", "replica-b", length);
    assertThat(a.holder()).isEmpty();
    assertThat(a.hold(T0)).isTrue();
    assertThat(b.hold(T0.plusSeconds(1))).isFalse();
    assertThat(a.hold(T0.plusSeconds(4))).as("renewed before it ran out").isTrue();
    assertThat(b.hold(T0.plusSeconds(8))).as("5 s from the renewal at 4 s").isFalse();
    assertThat(b.hold(T0.plusMillis(9_001))).as("run out").isTrue();
    assertThat(a.hold(T0.plusSeconds(10))).isFalse();
    assertThat(a.holder()).contains("replica-b");
    a.release(); // not its holder: changes nothing
    assertThat(a.hold(T0.plusSeconds(11))).isFalse();
    b.release();
    assertThat(a.hold(T0.plusSeconds(11))).as("given up: taken at once").isTrue();
    assertThat(new StoreLease(store.dataSource(), "other-lease", "replica-b", length).hold(T0))
        .as("leases of other names are apart")
        .isTrue();
  }

  @Test
  void replicasRacingForAFreeLeaseGiveItToOne() throws Exception {
    int replicas = 8;
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> held = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        StoreLease lease =
            new StoreLease(
                store.dataSource(), "raced-lease", "replica-" + i, Duration.ofSeconds(5));
        held.add(
            pool.submit(
                () -> {
                  start.await();
                  return lease.hold(T0);
                }));
      }
      start.countDown();
      int holders = 0;
      for (Future<Boolean> f : held) {
        holders += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(holders).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  // --- lifetime ---

  @Test
  void jobsSurviveReopeningAndMigrationsRunOnce() throws Exception {
    JobRecord job = store.createIfAbsent(job("durable", T0).build()).job();
    store.tag(job.jobArn(), Map.of("k", "v"));
    store.close();

    JdbcJobStore reopened = open(settings);
    store = reopened;
    assertThat(reopened.find(job.jobId())).contains(job);
    assertThat(reopened.tags(job.jobArn())).containsEntry("k", "v");
    try (Connection c =
            DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                // Flyway may also record a marker row (type TABLE) for creating its history table.
                "SELECT version, type, success FROM flyway_schema_history WHERE type = 'SQL' ORDER BY installed_rank")) {
      List<String> history = new ArrayList<>();
      while (rs.next()) {
        history.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
      }
      assertThat(history)
          .containsExactly(
              "1 SQL true",
              "2 SQL true",
              "3 SQL true",
              "4 SQL true",
              "5 SQL true",
              "6 SQL true",
              "7 SQL true",
              "8 SQL true");
    }
  }

  @Test
  void theDatabaseRejectsAnUnknownStatus() throws Exception {
    JobRecord job = store.createIfAbsent(job("checked", T0).build()).job();
    try (Connection c =
            DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "UPDATE jobs SET status = 'Running' WHERE job_id = '" + job.jobId() + "'"))
          .isInstanceOf(SQLException.class);
    }
  }

  // --- helpers ---

  // --- OpenAI Batch API: files and batches ---

  static OpenAiFileRecord file(String id, String account, Instant at) {
    return new OpenAiFileRecord(
        id, account, id + ".jsonl", "batch", 10, at, "s3://files/" + account + "/" + id);
  }

  static OpenAiBatchRecord batch(String id, String account, Instant at) {
    return new OpenAiBatchRecord(
        id,
        account,
        "AKIAEXAMPLE",
        "/v1/chat/completions",
        "24h",
        "file-a",
        null,
        "{\"team\":\"geology\"}",
        "validating",
        null,
        null,
        null,
        null,
        at,
        at.plus(Duration.ofHours(24)),
        null);
  }

  @Test
  void openAiFilesAreEachAccountsOwnAndPageNewestFirstOrOldestFirst() {
    JdbcOpenAiStore openai = JdbcOpenAiStore.on(store);
    for (int i = 0; i < 5; i++) {
      assertThat(openai.insertFile(file("file-" + i, ACCOUNT, T0.plusSeconds(i)))).isTrue();
    }
    openai.insertFile(file("file-other", OTHER_ACCOUNT, T0));
    assertThat(openai.insertFile(file("file-0", ACCOUNT, T0))).as("ids are unique").isFalse();

    assertThat(openai.findFile(ACCOUNT, "file-2"))
        .contains(file("file-2", ACCOUNT, T0.plusSeconds(2)));
    assertThat(openai.findFile(ACCOUNT, "file-other")).isEmpty();
    OpenAiPage<OpenAiFileRecord> newest =
        openai.listFiles(ACCOUNT, null, null, 2, false).orElseThrow();
    assertThat(newest.items())
        .extracting(OpenAiFileRecord::fileId)
        .containsExactly("file-4", "file-3");
    assertThat(newest.hasMore()).isTrue();
    OpenAiPage<OpenAiFileRecord> next =
        openai.listFiles(ACCOUNT, "batch", "file-3", 10, false).orElseThrow();
    assertThat(next.items())
        .extracting(OpenAiFileRecord::fileId)
        .containsExactly("file-2", "file-1", "file-0");
    assertThat(next.hasMore()).isFalse();
    assertThat(openai.listFiles(ACCOUNT, null, "file-1", 10, true).orElseThrow().items())
        .extracting(OpenAiFileRecord::fileId)
        .containsExactly("file-2", "file-3", "file-4");
    assertThat(openai.listFiles(ACCOUNT, null, "file-other", 10, false))
        .as("not its file")
        .isEmpty();
    assertThat(openai.listFiles(ACCOUNT, "batch_output", null, 10, false).orElseThrow().items())
        .isEmpty();

    assertThat(openai.deleteFile(OTHER_ACCOUNT, "file-1")).isFalse();
    assertThat(openai.deleteFile(ACCOUNT, "file-1")).isTrue();
    assertThat(openai.findFile(ACCOUNT, "file-1")).isEmpty();
  }

  @Test
  void aBatchMovesOnlyByConditionalUpdatesAndAFinalStatusIsFinal() {
    JdbcOpenAiStore openai = JdbcOpenAiStore.on(store);
    OpenAiBatchRecord created = batch("batch_1", ACCOUNT, T0);
    openai.insertBatch(created);
    openai.insertBatch(batch("batch_2", ACCOUNT, T0.plusSeconds(1)));
    openai.insertBatch(batch("batch_3", OTHER_ACCOUNT, T0));
    assertThat(openai.findBatch(ACCOUNT, "batch_1")).contains(created);
    assertThat(openai.findBatch(OTHER_ACCOUNT, "batch_1")).isEmpty();
    assertThat(openai.listBatches(ACCOUNT, null, 10).orElseThrow().items())
        .extracting(OpenAiBatchRecord::batchId)
        .containsExactly("batch_2", "batch_1");
    assertThat(openai.fileInUse(ACCOUNT, "file-a")).isTrue();
    assertThat(openai.unfinishedBatches()).hasSize(3);

    JobRecord job = store.createIfAbsent(job("runs-batch-1", T0).build()).job();
    assertThat(openai.attachJob("batch_1", job.jobId(), "m")).isTrue();
    assertThat(openai.attachJob("batch_1", job.jobId(), "m")).as("once").isFalse();
    assertThat(openai.cancelBeforeJob("batch_1", T0)).as("it has a job").isFalse();
    openai.recordTime("batch_1", OpenAiBatchStatuses.Time.IN_PROGRESS, T0.plusSeconds(5));
    openai.recordTime("batch_1", OpenAiBatchStatuses.Time.IN_PROGRESS, T0.plusSeconds(9));
    assertThat(openai.finish("batch_1", "completed", T0.plusSeconds(20), "file-o", null, null))
        .isTrue();
    assertThat(openai.finish("batch_1", "failed", T0.plusSeconds(30), null, null, "[]"))
        .as("a final status stays")
        .isFalse();
    OpenAiBatchRecord done = openai.findBatch(ACCOUNT, "batch_1").orElseThrow();
    assertThat(done.jobId()).isEqualTo(job.jobId());
    assertThat(done.model()).isEqualTo("m");
    assertThat(done.status()).isEqualTo("completed");
    assertThat(done.outputFileId()).isEqualTo("file-o");
    assertThat(done.errorFileId()).isNull();
    assertThat(done.errorsJson()).isNull();
    assertThat(done.times().inProgressAt()).as("the first time seen").isEqualTo(T0.plusSeconds(5));
    assertThat(done.times().completedAt()).isEqualTo(T0.plusSeconds(20));

    assertThat(openai.cancelBeforeJob("batch_2", T0.plusSeconds(2))).isTrue();
    assertThat(openai.attachJob("batch_2", job.jobId(), "m")).as("cancelled first").isFalse();
    OpenAiBatchRecord cancelled = openai.findBatch(ACCOUNT, "batch_2").orElseThrow();
    assertThat(cancelled.status()).isEqualTo("cancelled");
    assertThat(cancelled.times().cancelledAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(openai.finish("batch_3", "failed", T0, null, null, "[{\"code\":\"x\"}]")).isTrue();
    assertThat(openai.findBatch(OTHER_ACCOUNT, "batch_3").orElseThrow().errorsJson())
        .isEqualTo("[{\"code\":\"x\"}]");
    assertThat(openai.unfinishedBatches()).isEmpty();
    assertThat(openai.fileInUse(ACCOUNT, "file-a")).isFalse();
  }

  static JobRecord.Builder job(String name, Instant submitTime) {
    return job(name, submitTime, ACCOUNT);
  }

  static JobRecord.Builder job(String name, Instant submitTime, String account) {
    String id = randomJobId();
    return JobRecord.builder()
        .jobId(id)
        .jobArn("arn:aws:bedrock:us-east-1:" + account + ":model-invocation-job/" + id)
        .jobName(name)
        .modelId("anthropic.claude-3-haiku-20240307-v1:0")
        .roleArn("arn:aws:iam::" + account + ":role/batch")
        .status(SUBMITTED)
        .submitTime(submitTime)
        .lastModifiedTime(submitTime)
        .inputConfigJson("{\"s3InputDataConfig\":{\"s3Uri\":\"s3://in/\"}}")
        .outputConfigJson("{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://out/\"}}");
  }

  static String randomJobId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return id.toString();
  }

  /** Creates the job and walks it along {@code path}; returns it as stored. */
  JobRecord reach(JobRecord job, List<JobStatus> path) {
    JobRecord current = store.createIfAbsent(job).job();
    for (JobStatus next : path) {
      current =
          store
              .transition(
                  current.jobId(),
                  Set.of(current.status()),
                  next,
                  StatusChange.at(current.submitTime()))
              .orElseThrow();
    }
    return current;
  }

  List<String> ids(JobQuery query) {
    return pages(query).stream()
        .flatMap(p -> p.jobs().stream())
        .map(JobRecord::jobId)
        .collect(Collectors.toList());
  }

  /** Every page of a listing, following nextToken. */
  List<JobPage> pages(JobQuery query) {
    List<JobPage> pages = new ArrayList<>();
    String token = null;
    do {
      JobPage page = store.list(query.toBuilder().nextToken(token).build());
      pages.add(page);
      token = page.nextToken();
    } while (token != null && pages.size() < 1000);
    return pages;
  }

  /** The ids in a descending listing's order: submit time, then job id, both descending. */
  static List<String> desc(JobRecord... jobs) {
    List<String> ids = asc(jobs);
    Collections.reverse(ids);
    return ids;
  }

  /** The ids in an ascending listing's order. */
  static List<String> asc(JobRecord... jobs) {
    return Arrays.stream(jobs)
        .sorted(Comparator.comparing(JobRecord::submitTime).thenComparing(JobRecord::jobId))
        .map(JobRecord::jobId)
        .collect(Collectors.toList());
  }

  static void assertCounts(
      JobRecord job,
      Long total,
      long processed,
      long success,
      long errors,
      long inputTokens,
      long outputTokens) {
    assertThat(job.totalRecordCount()).isEqualTo(total);
    assertThat(job.counts())
        .isEqualTo(new JobCounts(processed, success, errors, inputTokens, outputTokens));
  }

  /** Runs the tasks on threads of their own, releases {@code start}, and returns their results. */
  static <T> List<T> runTogether(List<Callable<T>> tasks, CountDownLatch start) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
