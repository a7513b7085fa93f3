package dev.quarry.controlplane.retry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.record.GeneratedRecordId;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.OutputFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * {@code scripts/quarry retry} in-process against a running control plane (embedded Flink, S3Proxy,
 * the emulator), through the real AWS SDK clients and the SDK's default credential chain.
 */
class RetryEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Per record kind, what the test expects of it. */
  private enum Kind {
    OK,
    FAILS_5XX,
    FAILS_400,
    INVALID,
    BLANK
  }

  /** One line of an input file as the test wrote it. */
  private record Written(int lineNumber, Kind kind, String recordId, String text) {}

  @TempDir static Path dataDir;
  static ControlPlaneFixture quarry;
  static Map<String, String> savedProperties = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    quarry =
        new ControlPlaneFixture(
            dataDir,
            Map.of(
                "quarry.job.requests-per-minute",
                    "1200", // 20 calls per second: long enough to stop half way
                "quarry.job.max-concurrency",
                    "2", // few records queued past the stop check, which a stop does not drop
                "quarry.job.max-attempts", "2",
                "quarry.job.initial-backoff-ms", "20",
                "quarry.job.max-backoff-ms", "50"));
    quarry.s3.createBucket("retry-in");
    quarry.s3.createBucket("retry-out");
    // The tool takes credentials from the SDK's default chain (system properties first) and uses
    // them
    // for S3 and the control plane alike, as with scripts/quarry serve's one pair: the S3 pair is a
    // key.
    // The retry job reads what the tool writes under the first job's output: the key must be
    // allowed to.
    ControlPlaneFixture.addKey(
        dataDir,
        new AccessKey(
            quarry.s3.settings().accessKey(),
            quarry.s3.settings().secretKey(),
            "123456789012",
            List.of("s3://retry-in/", "s3://retry-out/"),
            List.of("s3://retry-out/")));
    setProperty("aws.accessKeyId", quarry.s3.settings().accessKey());
    setProperty("aws.secretAccessKey", quarry.s3.settings().secretKey());
  }

  @AfterAll
  static void stop() {
    savedProperties.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
    quarry.close();
  }

  private static void setProperty(String key, String value) {
    savedProperties.put(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  /** The tool's exit code and what it printed. */
  private record Run(int exitCode, String out, String err) {
    String field(String name) {
      return out.lines()
          .filter(l -> l.startsWith(name + ": "))
          .map(l -> l.substring(name.length() + 2))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " in: " + out + err));
    }
  }

  private static Run retry(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--endpoint-url",
            quarry.plane().endpoint().toString(),
            "--s3-endpoint-url",
            quarry.s3.settings().endpoint()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RetryCommand.run(
            all.toArray(String[]::new),
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Run run =
        new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    System.out.print(
        "quarry retry " + String.join(" ", args) + " -> " + code + "\n" + run.out() + run.err());
    return run;
  }

  private static String jobId(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  private static boolean ended(GetModelInvocationJobResponse r) {
    return Set.of(
            ModelInvocationJobStatus.COMPLETED,
            ModelInvocationJobStatus.PARTIALLY_COMPLETED,
            ModelInvocationJobStatus.STOPPED,
            ModelInvocationJobStatus.FAILED,
            ModelInvocationJobStatus.EXPIRED)
        .contains(r.status());
  }

  /**
   * An input file: records with ids 1..n (the same ids in every file), some failing every time with
   * 5xx or 400, two lines without recordId, a line that is not JSON, one without modelInput, a
   * blank line.
   */
  private static List<Written> inputFile(String file, int n) {
    List<Written> lines = new ArrayList<>();
    for (int id = 1; id <= n; id++) {
      String prompt = file + " record " + id;
      Kind kind =
          switch (id) {
            case 2, 7 -> Kind.FAILS_5XX;
            case 3, 5 -> Kind.FAILS_400;
            default -> Kind.OK;
          };
      String directive =
          switch (id) {
            case 2 -> " [[emulator:fail=500]]";
            case 7 -> " [[emulator:fail=503]]";
            case 3, 5 -> " [[emulator:fail=400]]";
            default -> "";
          };
      lines.add(
          new Written(
              lines.size() + 1,
              kind,
              String.valueOf(id),
              Corpus.line(String.valueOf(id), prompt + directive)));
      if (id == 12) { // past the lines the validator samples, which must be JSON
        lines.add(
            new Written(lines.size() + 1, Kind.INVALID, null, "this line is not JSON, " + file));
        lines.add(
            new Written(
                lines.size() + 1,
                Kind.INVALID,
                "no-input",
                "{\"recordId\":\"no-input\",\"note\":\"" + file + "\"}"));
        lines.add(
            new Written(
                lines.size() + 1,
                Kind.OK,
                null,
                "{\"modelInput\":" + Corpus.claudeInput(file + " without an id, early") + "}"));
        lines.add(new Written(lines.size() + 1, Kind.BLANK, null, ""));
      }
      if (id == n - 2) {
        lines.add(
            new Written(
                lines.size() + 1,
                Kind.OK,
                null,
                "{\"modelInput\":" + Corpus.claudeInput(file + " without an id, late") + "}"));
      }
    }
    return lines;
  }

  private static byte[] bytes(List<Written> lines) {
    return (lines.stream().map(Written::text).collect(Collectors.joining("\n")) + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The id the job gives a line: its own, or the one generated from the file's path and line
   * number.
   */
  private static String idOf(String jobPath, Written line) {
    return line.recordId() != null
        ? line.recordId()
        : GeneratedRecordId.of(jobPath, line.lineNumber());
  }

  private static List<JsonNode> outputOf(String bucket, String key) {
    return quarry.s3.keys(bucket, key).contains(key)
        ? OutputFile.parse(quarry.s3.getString(bucket, key))
        : List.of();
  }

  private static List<JsonNode> lines(String bucket, String key) {
    return OutputFile.parse(quarry.s3.getString(bucket, key));
  }

  @Test
  void aStoppedJobsMissingAndFailedRecordsRunAgainAsATaggedJob() throws Exception {
    Map<String, List<Written>> files =
        Map.of("part-0.jsonl", inputFile("part-0", 110), "part-1.jsonl", inputFile("part-1", 110));
    files.forEach((name, lines) -> quarry.s3.put("retry-in", "two/" + name, bytes(lines)));
    String oldArn =
        quarry
            .bedrock()
            .createModelInvocationJob(
                ControlPlaneFixture.jobRequest(
                        "nightly", "s3://retry-in/two/", "s3://retry-out/res/")
                    .timeoutDurationInHours(36)
                    .tags(Tag.builder().key("team").value("search").build())
                    .build())
            .jobArn();
    quarry.await(
        oldArn,
        r ->
            r.status() == ModelInvocationJobStatus.IN_PROGRESS
                && r.processedRecordCount() != null
                && r.processedRecordCount() >= 90,
        Duration.ofSeconds(90));
    quarry.bedrock().stopModelInvocationJob(b -> b.jobIdentifier(oldArn));
    GetModelInvocationJobResponse old =
        quarry.await(
            oldArn, r -> r.status() == ModelInvocationJobStatus.STOPPED, Duration.ofSeconds(60));
    String oldDir = "res/" + jobId(oldArn) + "/";

    // What the stopped job wrote, per file: recordId -> its output lines.
    Map<String, Map<String, List<JsonNode>>> first = new HashMap<>();
    for (String name : files.keySet()) {
      first.put(
          name,
          outputOf("retry-out", oldDir + name + ".out").stream()
              .collect(Collectors.groupingBy(l -> l.path("recordId").asText())));
    }
    long firstLines =
        first.values().stream().flatMap(m -> m.values().stream()).mapToLong(List::size).sum();
    long records =
        files.values().stream().flatMap(List::stream).filter(l -> l.kind() != Kind.BLANK).count();
    assertThat(firstLines).as("stopped half way").isBetween(90L, records - 1);
    assertThat(first.values())
        .as("the failing records and the invalid lines were reached before the stop")
        .anySatisfy(m -> assertThat(m).containsKeys("2", "3", "no-input"));

    // --errors retryable (the default): records never processed and 5xx error lines; not the 400s
    // once answered.
    Run run = retry(oldArn);
    assertThat(run.exitCode()).as(run.err()).isZero();
    String newArn = run.field("job-arn");
    String retryDir = oldDir + "retry-1/";
    assertThat(run.field("input")).isEqualTo("s3://retry-out/" + retryDir);
    assertThat(quarry.s3.keys("retry-out", retryDir))
        .containsExactlyInAnyOrder(retryDir + "part-0.jsonl", retryDir + "part-1.jsonl");
    long expectedTotal = 0;
    for (Map.Entry<String, List<Written>> f : files.entrySet()) {
      String jobPath = "s3://retry-in/two/" + f.getKey();
      Map<String, List<JsonNode>> out1 = first.get(f.getKey());
      List<String> expected = new ArrayList<>();
      for (Written line : f.getValue()) {
        String id = idOf(jobPath, line);
        boolean answered =
            out1.getOrDefault(id, List.of()).stream().anyMatch(l -> l.has("modelOutput"));
        boolean reached = out1.containsKey(id);
        boolean picked =
            switch (line.kind()) {
              case OK -> !answered;
              case FAILS_5XX -> true;
              case FAILS_400 -> !reached;
              case INVALID, BLANK -> false;
            };
        if (picked) {
          expected.add(id);
        }
      }
      List<JsonNode> retryInput = lines("retry-out", retryDir + f.getKey());
      assertThat(retryInput)
          .extracting(l -> l.path("recordId").asText())
          .as(f.getKey())
          .containsExactlyElementsOf(expected);
      Map<String, String> modelInputs =
          f.getValue().stream()
              .filter(l -> l.kind() != Kind.BLANK && l.kind() != Kind.INVALID)
              .collect(
                  Collectors.toMap(
                      l -> idOf(jobPath, l), l -> jsonOf(l.text()).path("modelInput").toString()));
      assertThat(retryInput)
          .allSatisfy(
              l -> {
                assertThat(l.path("modelInput").toString())
                    .isEqualTo(modelInputs.get(l.path("recordId").asText()));
                assertThat(l.size()).as("only recordId and modelInput").isEqualTo(2);
              });
      expectedTotal += expected.size();
    }
    assertThat(run.field("records")).startsWith(expectedTotal + " (");

    GetModelInvocationJobResponse retried =
        quarry.await(newArn, RetryEndToEndTest::ended, Duration.ofSeconds(120));
    assertThat(retried.status())
        .as(retried.message())
        .isEqualTo(ModelInvocationJobStatus.COMPLETED);
    assertThat(retried.jobName()).isEqualTo("nightly-retry-1");
    assertThat(retried.modelId()).isEqualTo(old.modelId());
    assertThat(retried.roleArn()).isEqualTo(old.roleArn());
    assertThat(retried.modelInvocationTypeAsString()).isEqualTo(old.modelInvocationTypeAsString());
    assertThat(retried.timeoutDurationInHours()).isEqualTo(36);
    assertThat(retried.outputDataConfig()).isEqualTo(old.outputDataConfig());
    assertThat(retried.inputDataConfig().s3InputDataConfig().s3Uri())
        .isEqualTo("s3://retry-out/" + retryDir);
    assertThat(retried.totalRecordCount()).isEqualTo(expectedTotal);
    assertThat(quarry.bedrock().listTagsForResource(b -> b.resourceARN(newArn)).tags())
        .containsExactlyInAnyOrder(
            Tag.builder().key("team").value("search").build(),
            Tag.builder().key(JobRetry.RETRY_OF_TAG).value(oldArn).build());

    // Across both jobs, every record that can succeed has exactly one success line, in its own
    // file's output.
    String newDir = "res/" + jobId(newArn) + "/";
    for (Map.Entry<String, List<Written>> f : files.entrySet()) {
      String jobPath = "s3://retry-in/two/" + f.getKey();
      List<JsonNode> both = new ArrayList<>(outputOf("retry-out", oldDir + f.getKey() + ".out"));
      List<JsonNode> second = outputOf("retry-out", newDir + f.getKey() + ".out");
      assertThat(second)
          .extracting(l -> l.path("recordId").asText())
          .as("the retry answers exactly its input")
          .containsExactlyInAnyOrderElementsOf(
              lines("retry-out", retryDir + f.getKey()).stream()
                  .map(l -> l.path("recordId").asText())
                  .toList());
      both.addAll(second);
      Map<String, Long> successes =
          both.stream()
              .filter(l -> l.has("modelOutput"))
              .collect(
                  Collectors.groupingBy(l -> l.path("recordId").asText(), Collectors.counting()));
      Set<String> succeeding =
          f.getValue().stream()
              .filter(l -> l.kind() == Kind.OK)
              .map(l -> idOf(jobPath, l))
              .collect(Collectors.toSet());
      assertThat(successes.keySet()).as(f.getKey()).isEqualTo(succeeding);
      assertThat(successes.values()).as("one success line per record").containsOnly(1L);
      Map<String, Kind> kinds =
          f.getValue().stream()
              .filter(l -> l.kind() != Kind.BLANK)
              .collect(Collectors.toMap(l -> idOf(jobPath, l), Written::kind));
      assertThat(second.stream().filter(l -> l.has("error")))
          .allSatisfy(
              l ->
                  assertThat(l.path("error").path("errorCode").asInt())
                      .as(l.toString())
                      .isIn(
                          kinds.get(l.path("recordId").asText()) == Kind.FAILS_400
                              ? Set.of(400)
                              : Set.of(500, 503)));
    }

    // --errors all, on the same stopped job: also its 400 error lines and its invalid lines, copied
    // as they
    // were; lines that are not JSON go last, and only into files with enough other lines to pass
    // validation.
    Run all = retry(oldArn, "--errors", "all");
    assertThat(all.exitCode()).as(all.err()).isZero();
    String allDir = oldDir + "retry-2/";
    assertThat(all.field("input"))
        .as("the next unused number")
        .isEqualTo("s3://retry-out/" + allDir);
    long notJsonKept = 0;
    long notJsonLeftOut = 0;
    for (Map.Entry<String, List<Written>> f : files.entrySet()) {
      String jobPath = "s3://retry-in/two/" + f.getKey();
      Map<String, List<JsonNode>> out1 = first.get(f.getKey());
      List<String> expected = new ArrayList<>();
      List<String> notJson = new ArrayList<>();
      for (Written line : f.getValue()) {
        boolean answered =
            out1.getOrDefault(idOf(jobPath, line), List.of()).stream()
                .anyMatch(l -> l.has("modelOutput"));
        if (line.kind() == Kind.INVALID) {
          (line.text().startsWith("{") ? expected : notJson).add(line.text());
        } else if (line.kind() != Kind.BLANK && !answered) {
          expected.add(
              "{\"recordId\":\""
                  + idOf(jobPath, line)
                  + "\",\"modelInput\":"
                  + jsonOf(line.text()).path("modelInput")
                  + "}");
        }
      }
      if (!expected.isEmpty()) {
        expected.addAll(notJson);
        notJsonKept += notJson.size();
      } else {
        notJsonLeftOut += notJson.size();
      }
      assertThat(quarry.s3.getString("retry-out", allDir + f.getKey()).split("\n"))
          .as(f.getKey())
          .containsExactlyElementsOf(expected);
    }
    assertThat(all.field("records"))
        .contains("invalid input line " + (files.size() + notJsonKept))
        .contains("other error");
    assertThat(all.out())
        .as("lines that are not JSON left out")
        .contains(
            notJsonLeftOut == 0
                ? "records: "
                : "left out: " + notJsonLeftOut + " input lines that are not JSON");
    String thirdArn = all.field("job-arn");
    GetModelInvocationJobResponse third =
        quarry.await(thirdArn, RetryEndToEndTest::ended, Duration.ofSeconds(120));
    assertThat(third.status()).as(third.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
    assertThat(third.jobName()).isEqualTo("nightly-retry-2");
    List<JsonNode> thirdOut = outputOf("retry-out", "res/" + jobId(thirdArn) + "/part-0.jsonl.out");
    assertThat(thirdOut.stream().filter(l -> l.path("recordId").asText().equals("no-input")))
        .singleElement()
        .satisfies(l -> assertThat(l.path("error").path("errorCode").asInt()).isEqualTo(400));
    List<JsonNode> thirdAll = new ArrayList<>(thirdOut);
    thirdAll.addAll(outputOf("retry-out", "res/" + jobId(thirdArn) + "/part-1.jsonl.out"));
    assertThat(
            thirdAll.stream()
                .filter(
                    l -> l.path("error").path("errorMessage").asText().contains("not valid JSON")))
        .hasSize((int) notJsonKept);
  }

  @Test
  void aJobWithNothingLeftCreatesNoRetry() throws Exception {
    quarry.s3.put("retry-in", "done/a.jsonl", Corpus.file("d", 5));
    String arn =
        quarry
            .bedrock()
            .createModelInvocationJob(
                ControlPlaneFixture.jobRequest(
                        "all-good", "s3://retry-in/done/", "s3://retry-out/done/")
                    .build())
            .jobArn();
    GetModelInvocationJobResponse done =
        quarry.await(arn, RetryEndToEndTest::ended, Duration.ofSeconds(60));
    assertThat(done.status()).isEqualTo(ModelInvocationJobStatus.COMPLETED);

    Run run = retry(jobId(arn), "--errors", "all");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Nothing to retry").contains(arn).contains("No job created");
    assertThat(quarry.s3.keys("retry-out", "done/" + jobId(arn) + "/retry-")).isEmpty();
    assertThat(
            quarry
                .bedrock()
                .listModelInvocationJobs(b -> b.nameContains("all-good-retry"))
                .invocationJobSummaries())
        .isEmpty();

    Run unknown = retry("abcdefabcdef");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("ResourceNotFoundException");
  }

  @Test
  void aRunningJobIsRefused() throws Exception {
    quarry.s3.put("retry-in", "running/a.jsonl", Corpus.file("r", 2000));
    String arn =
        quarry
            .bedrock()
            .createModelInvocationJob(
                ControlPlaneFixture.jobRequest(
                        "still-running", "s3://retry-in/running/", "s3://retry-out/running/")
                    .build())
            .jobArn();
    quarry.await(
        arn, r -> r.status() == ModelInvocationJobStatus.IN_PROGRESS, Duration.ofSeconds(60));

    Run run = retry(arn);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(arn)
        .contains("is InProgress")
        .contains("only a job that has ended");
    assertThat(run.out()).isEmpty();
    assertThat(quarry.s3.keys("retry-out", "running/" + jobId(arn) + "/retry-")).isEmpty();

    quarry.bedrock().stopModelInvocationJob(b -> b.jobIdentifier(arn));
    quarry.await(arn, RetryEndToEndTest::ended, Duration.ofSeconds(60));
  }

  private static JsonNode jsonOf(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(text, e);
    }
  }
}
