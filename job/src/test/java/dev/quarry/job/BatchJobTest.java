package dev.quarry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.spec.InvocationType;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.JobRun;
import dev.quarry.job.testing.OutputFile;
import dev.quarry.job.testing.RecordingProgressReporter;
import dev.quarry.job.testing.SharedS3;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whole jobs on S3: many files and folders, 10,000+ records, and every kind of malformed line. */
class BatchJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static BedrockEmulator emulator;
  static SharedS3 s3;

  @BeforeAll
  static void start() {
    s3 = SharedS3.get();
    s3.createBucket("batch-in");
    s3.createBucket("batch-out");
    emulator = BedrockEmulator.builder().port(0).build().start();
  }

  @BeforeEach
  void resetEmulator() {
    emulator.reset();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void tenThousandRecordsAcrossFilesAndFolders() throws Exception {
    Map<String, Integer> files =
        Map.of(
            "big/part-1.jsonl", 4000,
            "big/part-2.jsonl", 3500,
            "big/2024/part-3.jsonl", 2000,
            "big/2024/q4/deep/part-4.jsonl", 1000,
            "big/empty.jsonl", 0,
            "big/_staging/.hidden-5.jsonl", 5);
    for (Map.Entry<String, Integer> f : files.entrySet()) {
      String prefix = f.getKey().replaceAll("[^0-9]", "");
      s3.put(
          "batch-in",
          f.getKey(),
          f.getValue() == 0 ? new byte[0] : Corpus.file("r" + prefix + "-", f.getValue()));
    }
    s3.put("batch-in", "big/README.md", "ignored".getBytes(StandardCharsets.UTF_8));

    JobSpec spec =
        JobRun.spec(emulator, "tenthousand1", "s3://batch-in/big/", "s3://batch-out/out/")
            .expectedRecordCount(10_505)
            .build();
    long started = System.nanoTime();
    JobRun.run(spec);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "10,505 records in %.1f s (%.0f records/s, MiniCluster start excluded)%n",
        seconds, 10_505 / seconds);

    String dir = "out/tenthousand1/";
    assertThat(s3.keys("batch-out", dir))
        .containsExactlyInAnyOrder(
            dir + "part-1.jsonl.out",
            dir + "part-2.jsonl.out",
            dir + "2024/part-3.jsonl.out",
            dir + "2024/q4/deep/part-4.jsonl.out",
            dir + "empty.jsonl.out",
            dir + "_staging/.hidden-5.jsonl.out",
            dir + "manifest.json.out");
    long lines = 0;
    for (Map.Entry<String, Integer> f : files.entrySet()) {
      String out = dir + f.getKey().substring("big/".length()) + ".out";
      List<JsonNode> output = OutputFile.parse(s3.getString("batch-out", out));
      assertThat(output).as(out).hasSize(f.getValue());
      assertThat(output.stream().map(l -> l.path("recordId").asText()).distinct())
          .hasSize(f.getValue());
      assertThat(output).allSatisfy(l -> assertThat(l.has("modelOutput")).isTrue());
      lines += output.size();
    }
    Manifest manifest = Manifest.fromJson(s3.getString("batch-out", dir + "manifest.json.out"));
    assertThat(manifest)
        .isEqualTo(
            new Manifest(
                10_505, lines, lines, 0, manifest.inputTokenCount(), manifest.outputTokenCount()));
    assertThat(manifest.inputTokenCount())
        .isEqualTo(emulator.stats().model(JobRun.CLAUDE).inputTokens());
    assertThat(manifest.outputTokenCount())
        .isEqualTo(emulator.stats().model(JobRun.CLAUDE).outputTokens());

    List<RecordingProgressReporter.Report> reports =
        RecordingProgressReporter.reports("tenthousand1");
    RecordingProgressReporter.Report last = reports.get(reports.size() - 1);
    assertThat(last.isFinal()).isTrue();
    assertThat(last.finalTotal()).isEqualTo(manifest.totalRecordCount());
    assertThat(last.progress().processedRecordCount()).isEqualTo(manifest.processedRecordCount());
    assertThat(last.progress().inputTokenCount()).isEqualTo(manifest.inputTokenCount());
  }

  @Test
  void everyMalformedLineBecomesItsOwnErrorLine() throws Exception {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    Function<String, byte[]> utf8 = s -> s.getBytes(StandardCharsets.UTF_8);
    in.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // byte-order mark
    in.writeBytes(utf8.apply(Corpus.line("ok-bom", "first line after a BOM") + "\r\n")); // 1: CRLF
    in.writeBytes(utf8.apply("this is not json\r\n")); // 2
    in.writeBytes(utf8.apply("[1,2,3]\n")); // 3
    in.writeBytes(utf8.apply("{\"recordId\":\"no-input\"}\n")); // 4
    in.writeBytes(utf8.apply("{\"recordId\":\"str-input\",\"modelInput\":\"hello\"}\n")); // 5
    in.writeBytes(utf8.apply("{\"recordId\":42,\"modelInput\":{}}\n")); // 6
    in.writeBytes(utf8.apply("{\"recordId\":\"bad-utf8\",\"modelInput\":{\"x\":\"")); // 7
    in.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
    in.writeBytes(utf8.apply("\"}}\n"));
    in.writeBytes(utf8.apply(Corpus.line("too-long", "x".repeat(5000)) + "\n")); // 8
    in.writeBytes(utf8.apply("\n")); // 9: blank
    in.writeBytes(utf8.apply("   \t \r\n")); // 10: blank
    in.writeBytes(utf8.apply("{\"modelInput\":" + Corpus.claudeInput("no id given") + "}\n")); // 11
    in.writeBytes(utf8.apply(Corpus.line("dup", "first") + "\n")); // 12
    in.writeBytes(utf8.apply(Corpus.line("dup", "second") + "\n")); // 13
    in.writeBytes(
        utf8.apply(
            "{\"recordId\":\"model-rejects\",\"modelInput\":{\"prompt\":\"wrong family\"}}\n")); // 14
    in.writeBytes(utf8.apply(Corpus.line("model-error", "[[emulator:fail=424]]") + "\n")); // 15
    in.writeBytes(utf8.apply("{\"recordId\":\"trailing\",\"modelInput\":{}} extra\n")); // 16
    in.writeBytes(utf8.apply(Corpus.line("last-no-newline", "end"))); // 17, no final newline
    s3.put("batch-in", "bad/corpus.jsonl", in.toByteArray());

    JobSpec spec =
        JobRun.spec(
                emulator, "malformed001", "s3://batch-in/bad/corpus.jsonl", "s3://batch-out/bad")
            .maxRecordBytes(4096)
            .build();
    JobRun.run(spec);

    List<JsonNode> output =
        OutputFile.parse(s3.getString("batch-out", "bad/malformed001/corpus.jsonl.out"));
    assertThat(output).as("one line per non-blank input line").hasSize(15);
    Map<String, JsonNode> byId = new HashMap<>();
    List<JsonNode> dups =
        output.stream().filter(l -> l.path("recordId").asText().equals("dup")).toList();
    output.forEach(l -> byId.putIfAbsent(l.path("recordId").asText(), l));

    assertThat(byId.get("ok-bom").has("modelOutput")).isTrue();
    assertThat(byId.get("last-no-newline").has("modelOutput")).isTrue();
    assertError(byId.get("no-input"), 400, "no modelInput");
    assertError(byId.get("str-input"), 400, "modelInput must be a JSON object");
    assertError(byId.get("model-rejects"), 400, "");
    assertError(byId.get("model-error"), 424, "");
    assertThat(dups).hasSize(2);
    assertThat(dups.stream().filter(l -> l.has("modelOutput")).count()).isEqualTo(1);
    assertThat(
            dups.stream()
                .filter(l -> l.has("error"))
                .findFirst()
                .orElseThrow()
                .path("error")
                .path("errorMessage")
                .asText())
        .contains("duplicate recordId");

    Map<String, JsonNode> generated =
        output.stream()
            .filter(l -> l.path("recordId").asText().matches("[0-9A-Z]{11}"))
            .collect(
                Collectors.toMap(
                    l -> l.path("error").path("errorMessage").asText(l.path("recordId").asText()),
                    l -> l));
    assertThat(generated.keySet())
        .anySatisfy(m -> assertThat(m).contains("Line 2: line is not valid JSON"));
    assertThat(generated.keySet())
        .anySatisfy(m -> assertThat(m).contains("Line 3: line is not a JSON object"));
    assertThat(generated.keySet())
        .anySatisfy(m -> assertThat(m).contains("Line 6: recordId must be a string"));
    assertThat(generated.keySet())
        .anySatisfy(m -> assertThat(m).contains("Line 7: line is not valid UTF-8"));
    assertThat(generated.keySet())
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("Line 8: line is")
                    .contains("over the record size limit of 4096"));
    assertThat(generated.keySet())
        .anySatisfy(m -> assertThat(m).contains("Line 16: line is not valid JSON"));
    assertThat(generated.values())
        .as("the line without a recordId was invoked under a generated id")
        .anySatisfy(l -> assertThat(l.path("modelOutput").toString()).contains("no id given"));
    assertThat(
            output.stream()
                .filter(l -> l.has("error"))
                .allMatch(l -> l.path("error").path("errorCode").isInt()))
        .isTrue();

    Manifest manifest =
        Manifest.fromJson(s3.getString("batch-out", "bad/malformed001/manifest.json.out"));
    long errors = output.stream().filter(l -> l.has("error")).count();
    assertThat(manifest)
        .isEqualTo(
            new Manifest(
                15,
                15,
                15 - errors,
                errors,
                manifest.inputTokenCount(),
                manifest.outputTokenCount()));
    assertThat(manifest.successRecordCount()).isEqualTo(4);
  }

  @Test
  void recordIdsAreUniquePerFileSoShardsMayNumberTheirLinesAlike() throws Exception {
    s3.put(
        "batch-in",
        "shards/part-0.jsonl",
        Corpus.join(
            List.of(
                Corpus.line("1", "zero one"),
                Corpus.line("2", "zero two"),
                Corpus.line("3", "zero three"))));
    s3.put(
        "batch-in",
        "shards/part-1.jsonl",
        Corpus.join(
            List.of(
                Corpus.line("1", "one one"),
                Corpus.line("2", "one two"),
                Corpus.line("3", "one three"),
                Corpus.line("2", "one two again"))));
    JobSpec spec =
        JobRun.spec(emulator, "shards000001", "s3://batch-in/shards/", "s3://batch-out/shards")
            .build();
    JobRun.run(spec);

    List<JsonNode> part0 =
        OutputFile.parse(s3.getString("batch-out", "shards/shards000001/part-0.jsonl.out"));
    List<JsonNode> part1 =
        OutputFile.parse(s3.getString("batch-out", "shards/shards000001/part-1.jsonl.out"));
    assertThat(part0)
        .hasSize(3)
        .allSatisfy(l -> assertThat(l.has("modelOutput")).as(l.toString()).isTrue());
    assertThat(part1).hasSize(4);
    assertThat(
            part1.stream().filter(l -> l.has("modelOutput")).map(l -> l.path("recordId").asText()))
        .containsExactlyInAnyOrder("1", "2", "3");
    assertError(
        part1.stream().filter(l -> l.has("error")).findFirst().orElse(null),
        400,
        "duplicate recordId 2 (first used on line 2 of this file)");
    assertThat(emulator.stats().model(JobRun.CLAUDE).requests())
        .as("every record of every file invoked once")
        .isEqualTo(6);
    Manifest manifest =
        Manifest.fromJson(s3.getString("batch-out", "shards/shards000001/manifest.json.out"));
    assertThat(manifest.successRecordCount()).isEqualTo(6);
    assertThat(manifest.errorRecordCount()).isEqualTo(1);
  }

  @Test
  void converseJobsCallConverse() throws Exception {
    String input =
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"%s\"}]}],"
            + "\"inferenceConfig\":{\"maxTokens\":50}}";
    List<String> lines =
        List.of(
            "{\"recordId\":\"c1\",\"modelInput\":" + String.format(input, "hello converse") + "}",
            "{\"recordId\":\"c2\",\"modelInput\":{\"modelId\":\"x\",\"messages\":[]}}");
    s3.put("batch-in", "converse/in.jsonl", Corpus.join(lines));
    JobSpec spec =
        JobRun.spec(emulator, "converse0001", "s3://batch-in/converse/", "s3://batch-out/conv")
            .invocationType(InvocationType.CONVERSE)
            .build();
    JobRun.run(spec);

    Map<String, JsonNode> out =
        OutputFile.parse(s3.getString("batch-out", "conv/converse0001/in.jsonl.out")).stream()
            .collect(Collectors.toMap(l -> l.path("recordId").asText(), l -> l));
    assertThat(
            out.get("c1")
                .path("modelOutput")
                .path("output")
                .path("message")
                .path("content")
                .get(0)
                .path("text")
                .asText())
        .contains("hello converse");
    assertThat(out.get("c1").path("modelOutput").path("usage").path("outputTokens").asInt())
        .isPositive();
    assertError(out.get("c2"), 400, "Extra inputs are not permitted");
  }

  private static void assertError(JsonNode line, int code, String messagePart) {
    assertThat(line).as("output line").isNotNull();
    assertThat(line.has("modelOutput")).as(line.toString()).isFalse();
    assertThat(line.path("error").path("errorCode").asInt()).as(line.toString()).isEqualTo(code);
    assertThat(line.path("error").path("errorMessage").asText()).contains(messagePart);
  }
}
