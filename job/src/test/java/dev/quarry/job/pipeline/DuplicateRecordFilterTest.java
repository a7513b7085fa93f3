package dev.quarry.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordKind;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DuplicateRecordFilterTest {
  private static final String PART_0 = "s3://in/run/part-0.jsonl";
  private static final String PART_1 = "s3://in/run/part-1.jsonl";

  @Test
  void theSameIdInTwoFilesIsInvokedInBoth() throws Exception {
    try (var harness = opened()) {
      for (String file : List.of(PART_0, PART_1)) {
        for (int line = 1; line <= 3; line++) {
          harness.processElement(record(file, line, String.valueOf(line)), 0);
        }
      }
      assertThat(harness.extractOutputValues())
          .hasSize(6)
          .allSatisfy(r -> assertThat(r.kind).isEqualTo(RecordKind.RECORD));
    }
  }

  @Test
  void aRepeatedIdWithinOneFileBecomesAnErrorLineNamingTheFirstLine() throws Exception {
    try (var harness = opened()) {
      harness.processElement(record(PART_0, 1, "a"), 0);
      harness.processElement(record(PART_0, 2, "b"), 0);
      harness.processElement(record(PART_0, 3, "a"), 0);
      List<BatchRecord> out = harness.extractOutputValues();
      assertThat(out)
          .extracting(r -> r.kind)
          .containsExactly(RecordKind.RECORD, RecordKind.RECORD, RecordKind.INVALID);
      assertThat(out.get(2).errorCode).isEqualTo(400);
      assertThat(out.get(2).errorMessage)
          .isEqualTo(
              "Line 3: duplicate recordId a (first used on line 1 of this file); not invoked");
    }
  }

  @Test
  void aFinishedFileLeavesNoIdsBehind() throws Exception {
    DuplicateRecordFilter filter = new DuplicateRecordFilter();
    try (var harness = harness(filter, 0)) {
      harness.open();
      for (int line = 1; line <= 1000; line++) {
        harness.processElement(record(PART_0, line, "id-" + line), 0);
      }
      assertThat(filter.filesHeld()).isEqualTo(1);
      harness.processElement(BatchRecord.endOfFile(PART_0, 1000), 0);
      assertThat(filter.filesHeld()).isZero();
    }
  }

  @Test
  void afterARestoreTheReplayedIdsAreKnownAgainAndGoNoFurther() throws Exception {
    try (var harness = opened()) {
      // what the reader reads again before the restored position: two records and a broken line
      harness.processElement(BatchRecord.replayedId(PART_0, 1, "a"), 0);
      harness.processElement(BatchRecord.replayedId(PART_0, 2, null), 0);
      harness.processElement(BatchRecord.replayedId(PART_0, 3, "b"), 0);
      harness.processElement(record(PART_0, 4, "b"), 0);
      harness.processElement(record(PART_0, 5, "c"), 0);
      harness.processElement(record(PART_1, 1, "a"), 0);

      List<BatchRecord> out = harness.extractOutputValues();
      assertThat(out)
          .extracting(r -> r.file + ":" + r.lineNumber + " " + r.kind)
          .containsExactly(PART_0 + ":4 INVALID", PART_0 + ":5 RECORD", PART_1 + ":1 RECORD");
      assertThat(out.get(0).errorMessage)
          .isEqualTo(
              "Line 4: duplicate recordId b (first used on line 3 of this file); not invoked");
      assertThat(harness.snapshot(1, 1).getManagedOperatorState())
          .as("no ids in checkpoints")
          .isEmpty();
    }
  }

  private static BatchRecord record(String file, long line, String id) {
    return BatchRecord.record(file, line, id, "{\"prompt\":\"p\"}");
  }

  /** Subtask {@code subtask} of two. */
  private static OneInputStreamOperatorTestHarness<BatchRecord, BatchRecord> harness(
      DuplicateRecordFilter filter, int subtask) throws Exception {
    return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(filter), 128, 2, subtask);
  }

  private static OneInputStreamOperatorTestHarness<BatchRecord, BatchRecord> opened()
      throws Exception {
    var harness = harness(new DuplicateRecordFilter(), 0);
    harness.open();
    return harness;
  }
}
