package dev.quarry.job.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Serializes {@link OutputWriterState} into the writer's checkpointed state. */
final class OutputWriterStateSerializer implements SimpleVersionedSerializer<OutputWriterState> {
  private final RecoverableCodec codec;

  OutputWriterStateSerializer(OutputWriterFactory writers) {
    this.codec = new RecoverableCodec(writers);
  }

  @Override
  public int getVersion() {
    return 1;
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
      codec.writeResumables(out, f.obsolete());
    }
    return out.getCopyOfBuffer();
  }

  @Override
  public OutputWriterState deserialize(int version, byte[] serialized) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    FileCounts finished = FileCounts.read(in);
    int n = in.readInt();
    List<OpenOutputFile> files = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String inputFile = in.readUTF();
      String outputPath = in.readUTF();
      FileCounts counts = FileCounts.read(in);
      files.add(new OpenOutputFile(
          inputFile, outputPath, codec.readResumable(in), codec.readResumables(in), counts));
    }
    return new OutputWriterState(files, finished);
  }
}
