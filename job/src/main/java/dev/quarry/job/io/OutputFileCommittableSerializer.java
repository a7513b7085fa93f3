package dev.quarry.job.io;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializes {@link OutputFileCommittable}s into the committer's checkpointed state.
 *
 * <p>Version 2 added whole contents; version 1 (every output streamed, an output without lines had
 * no recoverable) is still read, so a job checkpointed by an older Quarry resumes.
 */
final class OutputFileCommittableSerializer
    implements SimpleVersionedSerializer<OutputFileCommittable> {
  private final RecoverableCodec codec;

  OutputFileCommittableSerializer(OutputWriterFactory writers) {
    this.codec = new RecoverableCodec(writers);
  }

  @Override
  public int getVersion() {
    return 2;
  }

  @Override
  public byte[] serialize(OutputFileCommittable c) throws IOException {
    DataOutputSerializer out =
        new DataOutputSerializer(256 + (c.contents() == null ? 0 : c.contents().length));
    out.writeUTF(c.outputPath());
    c.counts().write(out);
    out.writeLong(c.manifestTotal());
    codec.writeCommittable(out, c.recoverable());
    RecoverableCodec.writeBytes(out, c.contents());
    codec.writeResumables(out, c.obsolete());
    return out.getCopyOfBuffer();
  }

  @Override
  public OutputFileCommittable deserialize(int version, byte[] serialized) throws IOException {
    if (version != 1 && version != 2) {
      throw new IOException("Unknown output committable version " + version);
    }
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    String path = in.readUTF();
    FileCounts counts = FileCounts.read(in);
    long manifestTotal = in.readLong();
    var recoverable = codec.readCommittable(in);
    byte[] contents =
        version >= 2 ? RecoverableCodec.readBytes(in) : (recoverable == null ? new byte[0] : null);
    return new OutputFileCommittable(
        path, recoverable, contents, counts, codec.readResumables(in), manifestTotal);
  }
}
