package dev.quarry.controlplane.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.record.GeneratedRecordId;
import dev.quarry.job.record.OutputLine;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.SharedS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Picking one file's lines, against S3Proxy: what each selection takes, and how lines are written.
 */
class RetryLinePickerTest {
  static SharedS3 s3;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    s3 = SharedS3.get();
    s3.createBucket("picker");
  }

  private static InputFile put(String key, byte[] content) {
    s3.put("picker", key, content);
    return new InputFile(
        new S3Location("s3", "picker", key),
        "s3://picker/" + key,
        key.substring(key.lastIndexOf('/') + 1));
  }

  private static RecordOutcomes outcomes(String... lines) throws IOException {
    return RecordOutcomes.read(
        new ByteArrayInputStream(
            (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)),
        "test.out");
  }

  private List<String> pick(
      ErrorSelection errors, InputFile file, RecordOutcomes outcomes, RetryCounts counts)
      throws IOException {
    Path target = dir.resolve("picked.jsonl");
    counts.addAll(new RetryLinePicker(s3.client(), errors).pick(file, outcomes, target));
    assertThat(Files.list(dir)).as("no side files left").containsExactly(target);
    String text = Files.readString(target);
    assertThat(text).as("every line ends with a newline").matches("(?s)|.*\n");
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  private static String record(String id, String prompt) {
    return "{\"recordId\":\"" + id + "\",\"modelInput\":" + Corpus.claudeInput(prompt) + "}";
  }

  @Test
  void retryablePicksWhatHasNoLineAndRetryableErrors() throws IOException {
    InputFile file =
        put(
            "r/a.jsonl",
            Corpus.join(
                List.of(
                    Corpus.line("done", "p1"),
                    Corpus.line("throttled", "p2"),
                    Corpus.line("bad", "p3"),
                    "",
                    "{\"modelInput\":" + Corpus.claudeInput("no id") + "}",
                    "not json",
                    Corpus.line("never", "p4"))));
    RecordOutcomes outcomes =
        outcomes(
            OutputLine.success("done", "{}", "{}"),
            OutputLine.error("throttled", "{}", 429, "x"),
            OutputLine.error("bad", "{}", 400, "x"),
            OutputLine.error(GeneratedRecordId.of("s3://picker/r/a.jsonl", 6), null, 400, "x"));
    RetryCounts counts = new RetryCounts();
    List<String> lines = pick(ErrorSelection.RETRYABLE, file, outcomes, counts);

    assertThat(lines)
        .containsExactly(
            record("throttled", "p2"),
            record(GeneratedRecordId.of("s3://picker/r/a.jsonl", 5), "no id"),
            record("never", "p4"));
    assertThat(counts.get(RetryReason.RETRYABLE_ERROR)).isEqualTo(1);
    assertThat(counts.get(RetryReason.NOT_PROCESSED)).isEqualTo(2);
    assertThat(counts.total()).isEqualTo(3);
    assertThat(counts.leftOut()).as("the 400 and the line that is not JSON").isEqualTo(2);
  }

  @Test
  void allCopiesInvalidLinesAsTheyWereWithThoseThatAreNotJsonLast() throws IOException {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(record("r" + i, "prompt " + i));
    }
    String tooLong = "y".repeat((int) RetryLinePicker.MAX_RECORD_BYTES + 3);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    content.writeBytes(
        ("{\"recordId\":\"no-input\"}\nnot json at all\n"
                + records.get(0)
                + "\n"
                + tooLong
                + "\n"
                + String.join("\n", records.subList(1, records.size()))
                + "\n{\"recordId\":7,\"modelInput\":{}}")
            .getBytes(StandardCharsets.UTF_8));
    InputFile file = put("all/big.jsonl", content.toByteArray());
    RetryCounts counts = new RetryCounts();
    List<String> lines =
        pick(ErrorSelection.ALL, file, outcomes(OutputLine.error("r3", "{}", 400, "x")), counts);

    List<String> expected = new ArrayList<>();
    expected.add(
        "{\"recordId\":\"no-input\"}"); // its byte-order mark dropped: it is no longer the first
    // line
    expected.addAll(records);
    expected.add("{\"recordId\":7,\"modelInput\":{}}");
    expected.add("not json at all");
    expected.add(tooLong); // fetched again by its byte range: the reader never held it
    assertThat(lines).containsExactlyElementsOf(expected);
    assertThat(counts.get(RetryReason.INVALID_LINE)).isEqualTo(4);
    assertThat(counts.get(RetryReason.OTHER_ERROR)).isEqualTo(1);
    assertThat(counts.get(RetryReason.NOT_PROCESSED)).isEqualTo(9);
    assertThat(counts.notJsonLeftOut()).isZero();
  }

  @Test
  void linesThatAreNotJsonFollowARecordEvenInAShortFile() throws IOException {
    InputFile file =
        put("short/a.jsonl", Corpus.join(List.of("not json", Corpus.line("x", "p"), "[1,2]")));
    RetryCounts counts = new RetryCounts();
    List<String> lines = pick(ErrorSelection.ALL, file, RecordOutcomes.none(), counts);
    assertThat(lines).containsExactly(record("x", "p"), "not json", "[1,2]");
    assertThat(counts.get(RetryReason.INVALID_LINE)).isEqualTo(2);
    assertThat(counts.notJsonLeftOut()).isZero();
  }

  @Test
  void linesThatAreNotJsonAreLeftOutOfAFileThatWouldHoldNothingElse() throws IOException {
    InputFile file = put("nothing-else/a.jsonl", Corpus.join(List.of("not json", "[1,2]")));
    RetryCounts counts = new RetryCounts();
    List<String> lines = pick(ErrorSelection.ALL, file, RecordOutcomes.none(), counts);
    assertThat(lines).isEmpty();
    assertThat(counts.notJsonLeftOut()).isEqualTo(2);
    assertThat(counts.total()).isZero();
  }
}
