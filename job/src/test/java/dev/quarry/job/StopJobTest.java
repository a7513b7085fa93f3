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
import dev.quarry.job.stop.StopMarker;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.JobRun;
import dev.quarry.job.testing.OutputFile;
import dev.quarry.job.testing.RecordingProgressReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job stopped mid-way commits everything processed so far, with a manifest that describes exactly
 * that.
 */
class StopJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final int RECORDS = 2000;
  static BedrockEmulator emulator;

  @BeforeAll
  static void start() {
    emulator =
        BedrockEmulator.builder()
            .port(0)
            .config(
                EmulatorConfig.builder()
                    .defaultBehavior(
                        ModelBehavior.builder()
                            .latency(LatencyProfile.fixed(Duration.ofMillis(5)))
                            .build())
                    .build())
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void stoppedJobKeepsItsPartialWorkAndManifest(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/one.jsonl"), Corpus.file("one", RECORDS / 2));
    Files.write(dir.resolve("in/two.jsonl"), Corpus.file("two", RECORDS / 2));
    JobSpec spec =
        JobRun.spec(
                emulator,
                "stopped00001",
                dir.resolve("in").toUri().toString(),
                dir.resolve("out").toUri().toString())
            .limits(InvokeLimits.builder().requestsPerMinute(200 * 60).build())
            .expectedRecordCount(RECORDS)
            .build();

    JobClient job = JobRun.start(spec);
    while (lastProcessed(spec.jobId()) < 300) {
      Thread.sleep(50);
    }
    StopMarker.of(spec).request();
    job.stopWithSavepoint(
            true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
        .get();

    Path out = dir.resolve("out/stopped00001");
    Manifest manifest = Manifest.fromJson(Files.readString(out.resolve("manifest.json.out")));
    Set<String> ids = new HashSet<>();
    long success = 0;
    for (String name : List.of("one.jsonl.out", "two.jsonl.out")) {
      if (!Files.exists(out.resolve(name))) {
        continue;
      }
      List<JsonNode> lines = OutputFile.parse(Files.readString(out.resolve(name)));
      for (JsonNode l : lines) {
        assertThat(ids.add(l.path("recordId").asText())).as("duplicate " + l).isTrue();
        success += l.has("modelOutput") ? 1 : 0;
      }
    }
    assertThat(manifest.totalRecordCount()).isEqualTo(RECORDS);
    assertThat(manifest.processedRecordCount())
        .isEqualTo(ids.size())
        .isGreaterThanOrEqualTo(300)
        .isLessThan(RECORDS);
    assertThat(manifest.successRecordCount()).isEqualTo(success);
    assertThat(emulator.stats().model(JobRun.CLAUDE).succeeded())
        .as("nothing was invoked that the output does not show")
        .isEqualTo(success);
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no in-progress files, no stop marker")
          .noneMatch(n -> n.startsWith(".") || n.startsWith("_"));
    }
    RecordingProgressReporter.Report last =
        RecordingProgressReporter.reports(spec.jobId()).stream()
            .filter(RecordingProgressReporter.Report::isFinal)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(last.progress().processedRecordCount()).isEqualTo(manifest.processedRecordCount());
  }

  @Test
  void underATightBudgetNoCallStartsAfterTheStop(@TempDir Path dir) throws Exception {
    int records = 200;
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/slow.jsonl"), Corpus.file("slow", records));
    // 5 calls a second: the async queue holds far more records than are answered before the stop.
    JobSpec spec =
        JobRun.spec(
                emulator,
                "stopbudget01",
                dir.resolve("in").toUri().toString(),
                dir.resolve("out").toUri().toString())
            .limits(InvokeLimits.builder().requestsPerMinute(300).adaptive(false).build())
            .expectedRecordCount(records)
            .build();
    emulator.reset();

    JobClient job = JobRun.start(spec);
    while (emulator.stats().model(JobRun.CLAUDE).requests() < 10) {
      Thread.sleep(20);
    }
    StopMarker.of(spec).request();
    long markerWrittenAt = System.nanoTime();
    long callsAtStop = emulator.stats().model(JobRun.CLAUDE).requests();
    job.stopWithSavepoint(
            true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
        .get();
    double stopSeconds = (System.nanoTime() - markerWrittenAt) / 1e9;
    long calls = emulator.stats().model(JobRun.CLAUDE).requests();

    // The marker is looked for every STOP_CHECK_MILLIS (500 ms): at 5 calls/s, at most a few slip
    // through.
    assertThat(calls - callsAtStop).as("model calls started after the stop").isLessThanOrEqualTo(4);
    assertThat(stopSeconds)
        .as("stopped within a few seconds, not after the queue drained")
        .isLessThan(15);
    Path out = dir.resolve("out/stopbudget01");
    Manifest manifest = Manifest.fromJson(Files.readString(out.resolve("manifest.json.out")));
    List<JsonNode> lines = OutputFile.parse(Files.readString(out.resolve("slow.jsonl.out")));
    assertThat(lines).allSatisfy(l -> assertThat(l.has("modelOutput")).as(l.toString()).isTrue());
    assertThat(manifest.processedRecordCount())
        .isEqualTo(lines.size())
        .isEqualTo(calls)
        .isLessThan(records);
    assertThat(manifest.totalRecordCount()).isEqualTo(records);
  }

  private static long lastProcessed(String jobId) {
    List<RecordingProgressReporter.Report> reports = RecordingProgressReporter.reports(jobId);
    return reports.isEmpty()
        ? 0
        : reports.get(reports.size() - 1).progress().processedRecordCount();
  }
}
