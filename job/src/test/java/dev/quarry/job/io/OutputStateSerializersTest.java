package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer state and committables survive a checkpoint, and those of the previous version (1) still
 * read.
 */
class OutputStateSerializersTest {
  @TempDir java.nio.file.Path dir;

  private static FileCounts counts(long records) {
    FileCounts c = new FileCounts();
    c.linesSeen = records;
    c.expectedLines = records;
    c.records = records;
    c.success = records;
    return c;
  }

  @Test
  void wholeStreamedAndManifestCommittablesRoundTrip() throws Exception {
    OutputWriterFactory writers = new OutputWriterFactory(dir.toUri().toString());
    OutputFileCommittableSerializer serializer = new OutputFileCommittableSerializer(writers);
    RecoverableWriter writer = writers.writer();
    RecoverableFsDataOutputStream out =
        writer.open(new Path(new Path(dir.toUri()), "big.jsonl.out"));
    out.write("x\n".getBytes(StandardCharsets.UTF_8));
    RecoverableWriter.CommitRecoverable recoverable = out.closeForCommit().getRecoverable();

    OutputFileCommittable whole =
        OutputFileCommittable.whole(
            "s3://b/o/a.jsonl.out", "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), counts(1));
    OutputFileCommittable streamed =
        OutputFileCommittable.streamed("s3://b/o/big.jsonl.out", recoverable, counts(7), List.of());
    OutputFileCommittable manifest =
        OutputFileCommittable.manifest(
            "s3://b/o/manifest.json.out", "{}".getBytes(StandardCharsets.UTF_8), counts(8), 9);
    for (OutputFileCommittable c : List.of(whole, streamed, manifest)) {
      OutputFileCommittable back =
          serializer.deserialize(serializer.getVersion(), serializer.serialize(c));
      assertThat(back.outputPath()).isEqualTo(c.outputPath());
      assertThat(back.contents()).isEqualTo(c.contents());
      assertThat(back.recoverable() == null).isEqualTo(c.recoverable() == null);
      assertThat(back.counts().records).isEqualTo(c.counts().records);
      assertThat(back.manifestTotal()).isEqualTo(c.manifestTotal());
    }
  }

  @Test
  void aVersionOneCommittableWithoutLinesReadsAsAnEmptyWholeFile() throws Exception {
    OutputFileCommittableSerializer serializer =
        new OutputFileCommittableSerializer(new OutputWriterFactory(dir.toUri().toString()));
    // Version 1: path, counts, manifest total, recoverable (absent), obsolete list (empty).
    DataOutputSerializer v1 = new DataOutputSerializer(64);
    v1.writeUTF("s3://b/o/empty.jsonl.out");
    counts(0).write(v1);
    v1.writeLong(-1);
    v1.writeBoolean(false);
    v1.writeInt(0);

    OutputFileCommittable c = serializer.deserialize(1, v1.getCopyOfBuffer());
    assertThat(c.contents()).isEmpty();
    assertThat(c.recoverable()).isNull();
    assertThat(c.isManifest()).isFalse();
  }

  @Test
  void openFilesRoundTripAndAVersionOneFileWithNothingWrittenReadsAsEmptyBuffered()
      throws Exception {
    OutputWriterFactory writers = new OutputWriterFactory(dir.toUri().toString());
    OutputWriterStateSerializer serializer = new OutputWriterStateSerializer(writers);
    RecoverableFsDataOutputStream out =
        writers.writer().open(new Path(new Path(dir.toUri()), "big.jsonl.out"));
    out.write("x\n".getBytes(StandardCharsets.UTF_8));
    RecoverableWriter.ResumeRecoverable resumable = out.persist();

    OutputWriterState state =
        new OutputWriterState(
            List.of(
                new OpenOutputFile(
                    "s3://in/a.jsonl",
                    "s3://b/o/a.jsonl.out",
                    null,
                    "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8),
                    List.of(),
                    counts(1)),
                new OpenOutputFile(
                    "s3://in/big.jsonl",
                    "s3://b/o/big.jsonl.out",
                    resumable,
                    null,
                    List.of(),
                    counts(1))),
            counts(5));
    OutputWriterState back =
        serializer.deserialize(serializer.getVersion(), serializer.serialize(state));
    assertThat(back.finished().records).isEqualTo(5);
    assertThat(back.openFiles()).hasSize(2);
    assertThat(back.openFiles().get(0).buffered()).isEqualTo(state.openFiles().get(0).buffered());
    assertThat(back.openFiles().get(0).resumable()).isNull();
    assertThat(back.openFiles().get(1).resumable()).isNotNull();
    assertThat(back.openFiles().get(1).buffered()).isNull();

    // Version 1: finished counts, then per file: input, output, counts, resumable (absent),
    // obsolete (none).
    DataOutputSerializer v1 = new DataOutputSerializer(64);
    counts(0).write(v1);
    v1.writeInt(1);
    v1.writeUTF("s3://in/a.jsonl");
    v1.writeUTF("s3://b/o/a.jsonl.out");
    counts(0).write(v1);
    v1.writeBoolean(false);
    v1.writeInt(0);
    OutputWriterState old = serializer.deserialize(1, v1.getCopyOfBuffer());
    assertThat(old.openFiles())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.buffered()).isEmpty();
              assertThat(f.resumable()).isNull();
            });
  }
}
