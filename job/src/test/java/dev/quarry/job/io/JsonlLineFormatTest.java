package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.job.record.SourceLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlLineFormatTest {
  private static final Configuration CONF = new Configuration();

  @TempDir java.nio.file.Path dir;

  /** One element as read: the line and the position after it. */
  private record Read(SourceLine line, long offset, long skip) {
    String text() {
      return line.bytes == null ? null : new String(line.bytes, StandardCharsets.UTF_8);
    }
  }

  private FileSourceSplit write(String name, byte[] content) throws IOException {
    java.nio.file.Path file = dir.resolve(name);
    Files.write(file, content);
    Path path = new Path(file.toUri());
    return new FileSourceSplit(
        "split-" + name,
        path,
        0,
        content.length,
        Files.getLastModifiedTime(file).toMillis(),
        content.length);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads every batch; {@code batchSizes} (if not null) receives the size of each batch. */
  private static List<Read> readAll(BulkFormat.Reader<SourceLine> reader, List<Integer> batchSizes)
      throws IOException {
    List<Read> all = new ArrayList<>();
    try (reader) {
      BulkFormat.RecordIterator<SourceLine> batch;
      while ((batch = reader.readBatch()) != null) {
        int n = 0;
        RecordAndPosition<SourceLine> r;
        while ((r = batch.next()) != null) {
          all.add(new Read(r.getRecord(), r.getOffset(), r.getRecordSkipCount()));
          n++;
        }
        batch.releaseBatch();
        if (batchSizes != null) {
          batchSizes.add(n);
        }
      }
      assertThat(reader.readBatch()).as("reader stays exhausted").isNull();
    }
    return all;
  }

  private static List<Read> readAll(JsonlLineFormat format, FileSourceSplit split)
      throws IOException {
    return readAll(format.createReader(CONF, split), null);
  }

  /**
   * Restores at {@code after}'s position and returns what is read as new; checks first that the
   * lines before the position come again, marked replayed, with the restored position.
   */
  private static List<Read> restoreAndReadAll(
      JsonlLineFormat format, FileSourceSplit split, Read after) throws IOException {
    FileSourceSplit restored = restoredAt(split, after);
    return withoutReplayed(
        format, split, readAll(format.restoreReader(CONF, restored), null), after);
  }

  /** {@code split} as a checkpoint taken right after {@code after} holds it. */
  private static FileSourceSplit restoredAt(FileSourceSplit split, Read after) {
    return split.updateWithCheckpointedPosition(new CheckpointedPosition(after.offset, after.skip));
  }

  private static List<Read> withoutReplayed(
      JsonlLineFormat format, FileSourceSplit split, List<Read> reads, Read restoredAt)
      throws IOException {
    List<Read> replayed = reads.stream().filter(r -> r.line.replayed).toList();
    assertThat(reads.subList(0, replayed.size()))
        .as("replayed lines come first")
        .isEqualTo(replayed);
    long expected = restoredAt.offset == CheckpointedPosition.NO_OFFSET ? 0 : restoredAt.skip;
    assertThat(replayed).as("lines replayed").hasSize((int) expected);
    List<Read> before = readAll(format, split).subList(0, replayed.size());
    for (int i = 0; i < before.size(); i++) {
      Read r = replayed.get(i);
      assertThat(r.line.lineNumber).isEqualTo(before.get(i).line.lineNumber);
      assertThat(r.line.bytes).isEqualTo(before.get(i).line.bytes);
      assertThat(r.line.length).isEqualTo(before.get(i).line.length);
      assertThat(r.offset)
          .as("a replayed line keeps the restored position")
          .isEqualTo(restoredAt.offset);
      assertThat(r.skip).isEqualTo(restoredAt.skip);
    }
    return reads.subList(replayed.size(), reads.size());
  }

  private static void assertSameReads(List<Read> actual, List<Read> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Read a = actual.get(i);
      Read e = expected.get(i);
      assertThat(a.line.lineNumber).as("line number of element %d", i).isEqualTo(e.line.lineNumber);
      assertThat(a.line.endOfFile).as("endOfFile of element %d", i).isEqualTo(e.line.endOfFile);
      assertThat(a.line.length).as("length of element %d", i).isEqualTo(e.line.length);
      assertThat(a.line.bytes).as("bytes of element %d", i).isEqualTo(e.line.bytes);
      assertThat(a.line.file).isEqualTo(e.line.file);
      assertThat(a.offset).as("offset of element %d", i).isEqualTo(e.offset);
      assertThat(a.skip).as("skip of element %d", i).isEqualTo(e.skip);
    }
  }

  /**
   * Restores from the position of element {@code k} (line k+1) and checks the rest is read exactly
   * once.
   */
  private static void assertResumesAfter(
      JsonlLineFormat format, FileSourceSplit split, List<Read> all, int k) throws IOException {
    List<Read> resumed = restoreAndReadAll(format, split, all.get(k));
    Read first = resumed.get(0);
    if (first.line.endOfFile) {
      assertThat(k).as("only the last line is followed by the marker").isEqualTo(all.size() - 2);
      assertThat(first.line.lineNumber).isEqualTo(k + 1);
    } else {
      assertThat(first.line.lineNumber)
          .as("first line after restoring after line %d", k + 1)
          .isEqualTo(k + 2);
    }
    assertSameReads(resumed, all.subList(k + 1, all.size()));
  }

  private static void assertEndOfFile(Read r, String file, long lineCount) {
    assertThat(r.line.endOfFile).isTrue();
    assertThat(r.line.file).isEqualTo(file);
    assertThat(r.line.lineNumber).isEqualTo(lineCount);
    assertThat(r.line.bytes).isNull();
    assertThat(r.offset).isEqualTo(CheckpointedPosition.NO_OFFSET);
    assertThat(r.skip).isEqualTo(lineCount);
  }

  @Test
  void linesNumbersLengthsAndPositions() throws IOException {
    FileSourceSplit split = write("a.jsonl", utf8("a\nbb\n\nccc"));
    List<Read> reads = readAll(new JsonlLineFormat(1000), split);
    String file = split.path().toString();
    assertThat(file).startsWith("file:/").endsWith("/a.jsonl");

    assertThat(reads).hasSize(5);
    assertThat(reads.subList(0, 4)).extracting(Read::text).containsExactly("a", "bb", "", "ccc");
    assertThat(reads.subList(0, 4))
        .extracting(r -> r.line.lineNumber)
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(reads.subList(0, 4)).extracting(r -> r.line.length).containsExactly(1L, 2L, 0L, 3L);
    // The position after a line: offset of the next line, lines consumed.
    assertThat(reads.subList(0, 4)).extracting(Read::offset).containsExactly(2L, 5L, 6L, 9L);
    assertThat(reads.subList(0, 4)).extracting(Read::skip).containsExactly(1L, 2L, 3L, 4L);
    assertThat(reads.subList(0, 4))
        .allSatisfy(
            r -> {
              assertThat(r.line.file).isEqualTo(file);
              assertThat(r.line.endOfFile).isFalse();
            });
    assertEndOfFile(reads.get(4), file, 4);
  }

  @Test
  void trailingNewlineDoesNotMakeAnExtraLine() throws IOException {
    FileSourceSplit split = write("a.jsonl", utf8("{\"x\":1}\n{\"x\":2}\n"));
    List<Read> reads = readAll(new JsonlLineFormat(1000), split);
    assertThat(reads).hasSize(3);
    assertThat(reads.subList(0, 2))
        .extracting(Read::text)
        .containsExactly("{\"x\":1}", "{\"x\":2}");
    assertEndOfFile(reads.get(2), split.path().toString(), 2);
  }

  @Test
  void emptyFileYieldsOnlyTheEndOfFileMarker() throws IOException {
    FileSourceSplit split = write("empty.jsonl", new byte[0]);
    List<Read> reads = readAll(new JsonlLineFormat(1000), split);
    assertThat(reads).hasSize(1);
    assertEndOfFile(reads.get(0), split.path().toString(), 0);
  }

  @Test
  void singleNewlineIsOneBlankLine() throws IOException {
    FileSourceSplit split = write("nl.jsonl", utf8("\n"));
    List<Read> reads = readAll(new JsonlLineFormat(1000), split);
    assertThat(reads).hasSize(2);
    assertThat(reads.get(0).line.bytes).isEmpty();
    assertThat(reads.get(0).line.lineNumber).isEqualTo(1);
    assertThat(reads.get(0).offset).isEqualTo(1);
    assertEndOfFile(reads.get(1), split.path().toString(), 1);
  }

  @Test
  void carriageReturnsAndBomStayInTheBytes() throws IOException {
    byte[] content = {
      (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}', '\r', '\n', '{', '}', '\r', '\n'
    };
    List<Read> reads = readAll(new JsonlLineFormat(1000), write("crlf.jsonl", content));
    assertThat(reads).hasSize(3);
    assertThat(reads.get(0).line.bytes).containsExactly(0xEF, 0xBB, 0xBF, '{', '}', '\r');
    assertThat(reads.get(1).line.bytes).containsExactly('{', '}', '\r');
    assertThat(reads.get(1).line.length).isEqualTo(3);
  }

  @Test
  void invalidUtf8IsPassedOnAsBytes() throws IOException {
    byte[] content = {'{', (byte) 0xFF, (byte) 0xC3, '}', '\n', 'x'};
    List<Read> reads = readAll(new JsonlLineFormat(1000), write("bad.jsonl", content));
    assertThat(reads.get(0).line.bytes).containsExactly('{', 0xFF, 0xC3, '}');
    assertThat(reads.get(1).line.bytes).containsExactly('x');
  }

  @Test
  void tooLongLineHasNoBytesButItsExactLengthAndFollowingLinesAreIntact() throws IOException {
    String atLimit = "0123456789";
    String overByOne = "01234567890";
    String content =
        "short\n" + "x".repeat(25) + "\nafter\n" + atLimit + "\n" + overByOne + "\nlast";
    FileSourceSplit split = write("long.jsonl", utf8(content));
    List<Read> reads = readAll(new JsonlLineFormat(10), split);
    assertThat(reads).hasSize(7);
    assertThat(reads)
        .extracting(Read::text)
        .containsExactly("short", null, "after", atLimit, null, "last", null);
    assertThat(reads).extracting(r -> r.line.length).containsExactly(5L, 25L, 5L, 10L, 11L, 4L, 0L);
    assertThat(reads)
        .extracting(r -> r.line.lineNumber)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 6L);
    assertThat(reads.get(1).offset).isEqualTo(6 + 26);
    assertEndOfFile(reads.get(6), split.path().toString(), 6);
  }

  @Test
  void hugeLineAcrossManyBuffersIsSkippedWithoutLosingTheNextLine() throws IOException {
    int huge = 300_000; // several 64 KB buffers
    byte[] content = concat(utf8("{\"a\":1}\n"), filled(huge, (byte) 'y'), utf8("\n{\"b\":2}\n"));
    List<Read> reads = readAll(new JsonlLineFormat(1000), write("huge.jsonl", content));
    assertThat(reads).hasSize(4);
    assertThat(reads.get(1).line.bytes).isNull();
    assertThat(reads.get(1).line.length).isEqualTo(huge);
    assertThat(reads.get(1).offset).isEqualTo(8 + huge + 1);
    assertThat(reads.get(2).text()).isEqualTo("{\"b\":2}");
    assertThat(reads.get(2).line.lineNumber).isEqualTo(3);
    assertThat(reads.get(3).line.lineNumber).isEqualTo(3);
  }

  @Test
  void longLineUnderTheLimitSpanningBuffersIsKeptWhole() throws IOException {
    byte[] big = filled(200_000, (byte) 'z');
    big[0] = 'A';
    big[big.length - 1] = 'Z';
    byte[] content = concat(big, utf8("\nnext\n"), big);
    List<Read> reads = readAll(new JsonlLineFormat(1 << 20), write("big.jsonl", content));
    assertThat(reads).hasSize(4);
    assertThat(reads.get(0).line.bytes).isEqualTo(big);
    assertThat(reads.get(1).text()).isEqualTo("next");
    assertThat(reads.get(2).line.bytes).isEqualTo(big);
    assertThat(reads.get(2).line.length).isEqualTo(200_000);
  }

  @Test
  void multiByteLinesAcrossBufferBoundariesAndBatches() throws IOException {
    List<String> lines = randomLines(4_000, 42);
    byte[] content = joinLines(lines, false);
    assertThat(content.length).isGreaterThan(5 * 64 * 1024);
    FileSourceSplit split = write("multi.jsonl", content);

    List<Integer> batchSizes = new ArrayList<>();
    List<Read> reads = readAll(new JsonlLineFormat(1 << 20).createReader(CONF, split), batchSizes);

    assertThat(reads).hasSize(lines.size() + 1);
    long offset = 0;
    for (int i = 0; i < lines.size(); i++) {
      byte[] expected = utf8(lines.get(i));
      Read r = reads.get(i);
      assertThat(r.line.lineNumber).isEqualTo(i + 1);
      assertThat(r.line.bytes).as("line %d", i + 1).isEqualTo(expected);
      assertThat(r.line.length).isEqualTo(expected.length);
      offset += expected.length + (i < lines.size() - 1 ? 1 : 0);
      assertThat(r.offset).as("offset after line %d", i + 1).isEqualTo(offset);
      assertThat(r.skip).isEqualTo(i + 1);
    }
    assertThat(offset).isEqualTo(content.length);
    assertEndOfFile(reads.get(lines.size()), split.path().toString(), lines.size());
    // 512 lines per batch at most, so 4000 lines need several batches.
    assertThat(batchSizes)
        .hasSizeGreaterThanOrEqualTo(8)
        .allSatisfy(n -> assertThat(n).isBetween(1, 512));
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(lines.size() + 1);
  }

  @Test
  void batchesAreBoundedByBytes() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add(i + "-" + "b".repeat(50_000));
    }
    List<Integer> batchSizes = new ArrayList<>();
    List<Read> reads =
        readAll(
            new JsonlLineFormat(1 << 20)
                .createReader(CONF, write("bytes.jsonl", joinLines(lines, true))),
            batchSizes);
    assertThat(reads).hasSize(101);
    // About 1 MB per batch: 5 MB of lines make at least 4 batches, none of them 100 lines.
    assertThat(batchSizes)
        .hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(22));
  }

  @Test
  void restoreAfterEveryLineResumesAtTheNextLine() throws IOException {
    String content =
        "{\"r\":1}\n\n  \n{\"r\":\"é\"}\r\n" + "x".repeat(40) + "\n{\"r\":6}\n日本語\nlast";
    JsonlLineFormat format = new JsonlLineFormat(30);
    FileSourceSplit split = write("restore.jsonl", utf8(content));
    List<Read> all = readAll(format, split);
    assertThat(all).hasSize(9);
    for (int k = 0; k < all.size() - 1; k++) {
      assertResumesAfter(format, split, all, k);
    }
  }

  @Test
  void restoreAcrossBufferBoundaries() throws IOException {
    List<String> lines = randomLines(3_000, 7);
    JsonlLineFormat format = new JsonlLineFormat(1 << 20);
    FileSourceSplit split = write("restore-big.jsonl", joinLines(lines, true));
    List<Read> all = readAll(format, split);
    for (int k : new int[] {0, 1, 300, 511, 512, 513, 1000, 1999, 2998, 2999}) {
      assertResumesAfter(format, split, all, k);
    }
  }

  @Test
  void restoreAfterTheLastLineEmitsOnlyTheEndOfFileMarker() throws IOException {
    FileSourceSplit split = write("last.jsonl", utf8("a\nb"));
    JsonlLineFormat format = new JsonlLineFormat(100);
    List<Read> all = readAll(format, split);
    List<Read> resumed = restoreAndReadAll(format, split, all.get(1));
    assertThat(resumed).hasSize(1);
    assertEndOfFile(resumed.get(0), split.path().toString(), 2);
  }

  @Test
  void restoreAtTheEndOfFileMarkerEmitsNothingMore() throws IOException {
    FileSourceSplit split = write("eof.jsonl", utf8("a\nb\n"));
    JsonlLineFormat format = new JsonlLineFormat(100);
    List<Read> all = readAll(format, split);
    Read marker = all.get(all.size() - 1);
    assertThat(marker.offset).isEqualTo(CheckpointedPosition.NO_OFFSET);
    assertThat(restoreAndReadAll(format, split, marker)).isEmpty();
  }

  @Test
  void restoreAtTheEndOfFileMarkerOfAnEmptyFileEmitsNothing() throws IOException {
    FileSourceSplit split = write("empty.jsonl", new byte[0]);
    JsonlLineFormat format = new JsonlLineFormat(100);
    Read marker = readAll(format, split).get(0);
    assertThat(restoreAndReadAll(format, split, marker)).isEmpty();
  }

  @Test
  void createReaderOnASplitWithAPositionResumesToo() throws IOException {
    FileSourceSplit split = write("pos.jsonl", utf8("a\nb\nc\n"));
    JsonlLineFormat format = new JsonlLineFormat(100);
    List<Read> all = readAll(format, split);
    FileSourceSplit positioned =
        split.updateWithCheckpointedPosition(new CheckpointedPosition(all.get(0).offset, 1));
    assertSameReads(
        withoutReplayed(
            format, split, readAll(format.createReader(CONF, positioned), null), all.get(0)),
        all.subList(1, all.size()));
  }

  @Test
  void aRestoreReplaysTheLinesBeforeItsPositionOnce() throws IOException {
    FileSourceSplit split = write("replay.jsonl", utf8("a\nb\nc\nd\n"));
    JsonlLineFormat format = new JsonlLineFormat(100);
    List<Read> all = readAll(format, split);
    FileSourceSplit restored = restoredAt(split, all.get(1));

    List<Read> reads = readAll(format.restoreReader(CONF, restored), null);

    assertThat(reads)
        .extracting(r -> r.text() + (r.line.replayed ? " (replayed)" : ""))
        .containsExactly("a (replayed)", "b (replayed)", "c", "d", "null");
    assertThat(reads.get(0).offset).isEqualTo(all.get(1).offset);
    assertThat(reads.get(2).offset).isEqualTo(all.get(2).offset);
  }

  @Test
  void aFileThatChangedSinceItsCheckpointFailsTheReadNamingIt() throws IOException {
    FileSourceSplit split = write("changed.jsonl", utf8("aa\nbb\ncc\n"));
    JsonlLineFormat format = new JsonlLineFormat(100);
    List<Read> all = readAll(format, split);
    Files.write(dir.resolve("changed.jsonl"), utf8("a\nbb\ncc\n"));
    FileSourceSplit restored = restoredAt(split, all.get(1));

    assertThatThrownBy(() -> readAll(format.restoreReader(CONF, restored), null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("changed.jsonl changed after it was read");
  }

  @Test
  void formatIsNotSplittableAndProducesSourceLines() {
    JsonlLineFormat format = new JsonlLineFormat(100);
    assertThat(format.isSplittable()).isFalse();
    assertThat(format.getProducedType().getTypeClass()).isEqualTo(SourceLine.class);
  }

  // ---- helpers ----

  private static byte[] filled(int n, byte b) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, b);
    return bytes;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] joinLines(List<String> lines, boolean trailingNewline) {
    return utf8(String.join("\n", lines) + (trailingNewline ? "\n" : ""));
  }

  /** Lines of 0 to ~600 bytes mixing 1-, 2-, 3- and 4-byte UTF-8 characters. */
  private static List<String> randomLines(int count, long seed) {
    String[] pieces = {"a", "{", "\"", " ", "é", "ß", "日", "本", "😀", "\r", "\t", "\\"};
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(10) == 0 ? 0 : random.nextInt(200);
      for (int j = 0; j < n; j++) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      lines.add(sb.toString());
    }
    return lines;
  }

  @Test
  void aListedFileThatIsGoneFailsTheJobWithoutRestartsNamingIt() throws IOException {
    FileSourceSplit split = write("gone.jsonl", utf8("{}\n{}\n"));
    Files.delete(dir.resolve("gone.jsonl"));
    JsonlLineFormat format = new JsonlLineFormat(1024);
    assertThatThrownBy(() -> format.createReader(CONF, split))
        .isInstanceOf(SuppressRestartsException.class)
        .rootCause()
        .isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessage(
            "Input object "
                + split.path()
                + " is gone: it was listed as the job's input and deleted or renamed since");
  }
}
