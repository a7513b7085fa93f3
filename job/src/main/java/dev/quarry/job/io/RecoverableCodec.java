package dev.quarry.job.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes the file system's recoverable handles, versioned, and raw bytes inside Quarry's own state
 * records.
 */
final class RecoverableCodec {
  private final OutputWriterFactory writers;

  RecoverableCodec(OutputWriterFactory writers) {
    this.writers = writers;
  }

  void writeResumable(DataOutputView out, RecoverableWriter.ResumeRecoverable r)
      throws IOException {
    write(out, writers.writer().getResumeRecoverableSerializer(), r);
  }

  RecoverableWriter.ResumeRecoverable readResumable(DataInputView in) throws IOException {
    return read(in, writers.writer().getResumeRecoverableSerializer());
  }

  void writeCommittable(DataOutputView out, RecoverableWriter.CommitRecoverable r)
      throws IOException {
    write(out, writers.writer().getCommitRecoverableSerializer(), r);
  }

  RecoverableWriter.CommitRecoverable readCommittable(DataInputView in) throws IOException {
    return read(in, writers.writer().getCommitRecoverableSerializer());
  }

  void writeResumables(DataOutputView out, List<RecoverableWriter.ResumeRecoverable> list)
      throws IOException {
    out.writeInt(list.size());
    for (RecoverableWriter.ResumeRecoverable r : list) {
      writeResumable(out, r);
    }
  }

  List<RecoverableWriter.ResumeRecoverable> readResumables(DataInputView in) throws IOException {
    int n = in.readInt();
    List<RecoverableWriter.ResumeRecoverable> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(readResumable(in));
    }
    return list;
  }

  /** Nullable bytes: a presence flag, the length and the bytes. */
  static void writeBytes(DataOutputView out, byte[] bytes) throws IOException {
    out.writeBoolean(bytes != null);
    if (bytes != null) {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  static byte[] readBytes(DataInputView in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }

  /** A nullable handle: a presence flag, the serializer version, the length and the bytes. */
  private static <T> void write(DataOutputView out, SimpleVersionedSerializer<T> s, T value)
      throws IOException {
    if (value == null) {
      out.writeBoolean(false);
      return;
    }
    byte[] bytes = s.serialize(value);
    out.writeBoolean(true);
    out.writeInt(s.getVersion());
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static <T> T read(DataInputView in, SimpleVersionedSerializer<T> s) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    int version = in.readInt();
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return s.deserialize(version, bytes);
  }
}
