package dev.quarry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.JobRun;
import dev.quarry.job.testing.OutputFile;
import dev.quarry.job.testing.SharedS3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sharded input: hundreds of small files on S3. Every line comes out exactly once, in its own
 * file's output, no object is ever seen partly written, and the manifest appears only with every
 * output file, also when a TaskManager dies while output files are being committed.
 */
class ManyFilesTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final int FILES = 300;
  static final int LINES = 5;

  static BedrockEmulator emulator;
  static SharedS3 s3;

  @BeforeAll
  static void start() {
    s3 = SharedS3.get();
    s3.createBucket("many-in");
    s3.createBucket("many-out");
    emulator = BedrockEmulator.builder().port(0).build().start();
  }

  @BeforeEach
  void reset() {
    emulator.configure(EmulatorConfig.defaults());
    emulator.reset();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  /**
   * Uploads the input; returns each input key (relative to the prefix) with the record ids it
   * holds.
   */
  private static Map<String, Set<String>> upload(String prefix) {
    Map<String, Set<String>> inputs = new HashMap<>();
    for (int f = 0; f < FILES; f++) {
      // Every tenth file in a nested folder, to cover relative output names as well.
      String name = (f % 10 == 0 ? "nested/" : "") + "part-" + String.format("%04d", f) + ".jsonl";
      String ids = prefix + "-f" + f + "-";
      s3.put("many-in", prefix + "/" + name, Corpus.file(ids, LINES));
      inputs.put(
          name,
          Corpus.lines(ids, LINES).stream()
              .map(ManyFilesTest::recordId)
              .collect(Collectors.toSet()));
    }
    s3.put("many-in", prefix + "/empty.jsonl", new byte[0]);
    inputs.put("empty.jsonl", Set.of());
    return inputs;
  }

  private static String recordId(String line) {
    return OutputFile.parse(line).get(0).path("recordId").asText();
  }

  /**
   * Asserts the finished output: one file per input with exactly its ids, the manifest's counts,
   * nothing else.
   */
  private static void assertExactOutput(String outDir, Map<String, Set<String>> inputs) {
    List<String> expectedKeys = new ArrayList<>();
    inputs.keySet().forEach(name -> expectedKeys.add(outDir + name + ".out"));
    expectedKeys.add(outDir + "manifest.json.out");
    assertThat(s3.keys("many-out", outDir))
        .as("outputs, manifest, no partial or leftover objects")
        .containsExactlyInAnyOrderElementsOf(expectedKeys);
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, Set<String>> input : inputs.entrySet()) {
      List<JsonNode> lines =
          OutputFile.parse(s3.getString("many-out", outDir + input.getKey() + ".out"));
      assertThat(lines)
          .as(input.getKey())
          .allSatisfy(l -> assertThat(l.has("modelOutput")).isTrue());
      List<String> ids = lines.stream().map(l -> l.path("recordId").asText()).toList();
      assertThat(ids)
          .as("ids in the output of " + input.getKey())
          .containsExactlyInAnyOrderElementsOf(input.getValue());
      ids.forEach(id -> assertThat(seen.add(id)).as("line written twice: " + id).isTrue());
    }
    Manifest manifest = Manifest.fromJson(s3.getString("many-out", outDir + "manifest.json.out"));
    assertThat(manifest.totalRecordCount()).isEqualTo((long) FILES * LINES);
    assertThat(manifest.processedRecordCount()).isEqualTo((long) FILES * LINES);
    assertThat(manifest.successRecordCount()).isEqualTo((long) FILES * LINES);
    assertThat(manifest.errorRecordCount()).isZero();
  }

  @Test
  void everyLineOfHundredsOfSmallFilesComesOutOnceInItsOwnFile() throws Exception {
    Map<String, Set<String>> inputs = upload("small");
    JobSpec spec =
        JobRun.spec(emulator, "manyfiles001", "s3://many-in/small/", "s3://many-out/out")
            .expectedRecordCount((long) FILES * LINES)
            .build();

    try (OutputWatcher watcher = OutputWatcher.start("out/manyfiles001/", FILES + 2)) {
      JobRun.run(spec);
      watcher.awaitIdle();
      assertThat(watcher.partial)
          .as("objects seen under a final name without all their lines")
          .isEmpty();
      assertThat(watcher.manifestSeenWith)
          .as("output files listed when the manifest first appeared")
          .isEqualTo(FILES + 1);
    }
    assertExactOutput("out/manyfiles001/", inputs);
  }

  @Test
  void aTaskManagerKilledWhileFilesAreCommittedLosesAndRepeatsNoLine(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    // Calls take 10 ms at up to 300 a second, and a checkpoint commits output files every 300 ms:
    // the
    // job runs for seconds and commits in many rounds.
    emulator.configure(
        EmulatorConfig.builder()
            .defaultBehavior(
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofMillis(10)))
                    .build())
            .build());
    Map<String, Set<String>> inputs = upload("killed");
    JobSpec spec =
        JobRun.spec(emulator, "manyfiles002", "s3://many-in/killed/", "s3://many-out/out")
            .limits(InvokeLimits.builder().requestsPerMinute(300 * 60).build())
            .checkpointIntervalMillis(300)
            .expectedRecordCount((long) FILES * LINES)
            .build();

    try (OutputWatcher watcher = OutputWatcher.start("out/manyfiles002/", FILES + 2)) {
      JobClient job = JobRun.start(spec);
      // Kill when output files are appearing: a commit is under way.
      int atKill = watcher.awaitGrowingPast(FILES / 4, Duration.ofSeconds(120));
      cluster.terminateTaskManager(0).get();
      cluster.startTaskManager();
      job.getJobExecutionResult().get();
      watcher.awaitIdle();
      System.out.printf(
          "TaskManager killed with %d of %d output files committed, the count still rising%n",
          atKill, FILES + 1);
      assertThat(atKill).as("killed before the last file was committed").isLessThan(FILES + 1);
      assertThat(watcher.partial)
          .as("objects seen under a final name without all their lines")
          .isEmpty();
      assertThat(watcher.changed).as("committed objects that changed afterwards").isEmpty();
      assertThat(watcher.manifestSeenWith)
          .as("output files listed when the manifest first appeared")
          .isEqualTo(FILES + 1);
    }
    assertExactOutput("out/manyfiles002/", inputs);
  }

  /**
   * Lists the job's output folder every few milliseconds while the job runs and reads every object
   * the first time it is listed: it must already hold every line of its input (LINES, or none for
   * the empty input), and read again at the end it must be the same.
   */
  static final class OutputWatcher implements AutoCloseable {
    final String dir;
    final int expectedObjects;
    final Map<String, String> firstSeen = new ConcurrentHashMap<>();
    final List<String> partial = new CopyOnWriteArrayList<>();
    final List<String> changed = new CopyOnWriteArrayList<>();
    volatile int listed;
    volatile int manifestSeenWith = -1;
    volatile boolean stop;
    final Thread thread;

    private OutputWatcher(String dir, int expectedObjects) {
      this.dir = dir;
      this.expectedObjects = expectedObjects;
      this.thread = new Thread(this::run, "output-watcher");
      thread.setDaemon(true);
    }

    static OutputWatcher start(String dir, int expectedObjects) {
      OutputWatcher w = new OutputWatcher(dir, expectedObjects);
      w.thread.start();
      return w;
    }

    private void run() {
      while (!stop) {
        List<String> keys = s3.keys("many-out", dir);
        int outputs = 0;
        boolean manifest = false;
        for (String key : keys) {
          if (key.endsWith("/manifest.json.out")) {
            manifest = true;
          } else if (key.endsWith(".jsonl.out")) {
            outputs++;
          }
          if ((key.endsWith(".jsonl.out") || key.endsWith("/manifest.json.out"))
              && !firstSeen.containsKey(key)) {
            String text = s3.getString("many-out", key);
            firstSeen.put(key, text);
            if (key.endsWith(".jsonl.out")
                && !key.endsWith("/empty.jsonl.out")
                && OutputFile.parse(text).size() != LINES) {
              partial.add(key + " (" + OutputFile.parse(text).size() + " lines)");
            }
          }
        }
        if (manifest && manifestSeenWith < 0) {
          manifestSeenWith = outputs;
        }
        listed = outputs;
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /**
     * Waits until more than {@code count} outputs are listed and the count rose since the last
     * listing.
     */
    int awaitGrowingPast(int count, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      int previous = listed;
      while (System.nanoTime() < deadline) {
        int now = listed;
        if (now > count && now > previous) {
          return now;
        }
        previous = now;
        Thread.sleep(2);
      }
      throw new AssertionError("Output files never passed " + count + " (at " + listed + ")");
    }

    /** Waits until every expected object was seen, then checks none changed since. */
    void awaitIdle() throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (firstSeen.size() < expectedObjects && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      stop = true;
      thread.join(10_000);
      firstSeen.forEach(
          (key, text) -> {
            if (!text.equals(s3.getString("many-out", key))) {
              changed.add(key);
            }
          });
    }

    @Override
    public void close() {
      stop = true;
    }
  }
}
