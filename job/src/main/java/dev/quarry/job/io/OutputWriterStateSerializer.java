package dev.quarry.job.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializes {@link OutputWriterState} into the writer's checkpointed state.
 *
 * <p>Version 2 added the buffered lines of small outputs; version 1 (every output streamed, none
 * written yet without a resumable) is still read, so a job checkpointed by an older Quarry resumes.
 */
final class OutputWriterStateSerializer implements SimpleVersionedSerializer<OutputWriterState> {
  private final RecoverableCodec codec;

  OutputWriterStateSerializer(OutputWriterFactory writers) {
    this.codec = new RecoverableCodec(writers);
  }

  @Override
  public int getVersion() {
    return 2;
  }

  @Override
  public byte[] serialize(OutputWriterState state) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(1024);
    state.finished().write(out);
    out.writeInt(state.openFiles().size());
    for (OpenOutputFile f : state.openFiles()) {
      out.writeUTF(f.inputFile());
      out.writeUTF(f.outputPath());
      f.counts().write(out);
      codec.writeResumable(out, f.resumable());
      RecoverableCodec.writeBytes(out, f.buffered());
      codec.writeResumables(out, f.obsolete());
    }
    return out.getCopyOfBuffer();
  }

  @Override
  public OutputWriterState deserialize(int version, byte[] serialized) throws IOException {
    if (version != 1 && version != 2) {
      throw new IOException("Unknown output writer state version " + version);
    }
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    FileCounts finished = FileCounts.read(in);
    int n = in.readInt();
    List<OpenOutputFile> files = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String inputFile = in.readUTF();
      String outputPath = in.readUTF();
      FileCounts counts = FileCounts.read(in);
      var resumable = codec.readResumable(in);
      byte[] buffered =
          version >= 2 ? RecoverableCodec.readBytes(in) : (resumable == null ? new byte[0] : null);
      files.add(
          new OpenOutputFile(
              inputFile, outputPath, resumable, buffered, codec.readResumables(in), counts));
    }
    return new OutputWriterState(files, finished);
  }
}
