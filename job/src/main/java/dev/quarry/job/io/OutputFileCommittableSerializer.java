package dev.quarry.job.io;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Serializes {@link OutputFileCommittable}s into the committer's checkpointed state. */
final class OutputFileCommittableSerializer implements SimpleVersionedSerializer<OutputFileCommittable> {
  private final RecoverableCodec codec;

  OutputFileCommittableSerializer(OutputWriterFactory writers) {
    this.codec = new RecoverableCodec(writers);
  }

  @Override
  public int getVersion() {
    return 1;
  }

  @Override
  public byte[] serialize(OutputFileCommittable c) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    out.writeUTF(c.outputPath());
    c.counts().write(out);
    out.writeLong(c.manifestTotal());
    codec.writeCommittable(out, c.recoverable());
    codec.writeResumables(out, c.obsolete());
    return out.getCopyOfBuffer();
  }

  @Override
  public OutputFileCommittable deserialize(int version, byte[] serialized) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    String path = in.readUTF();
    FileCounts counts = FileCounts.read(in);
    long manifestTotal = in.readLong();
    return new OutputFileCommittable(
        path, codec.readCommittable(in), counts, codec.readResumables(in), manifestTotal);
  }
}
