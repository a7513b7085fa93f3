package dev.quarry.job.record;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link RecordResult} between the model-call subtasks and the writer: its fields in a
 * fixed order, the output line as the bytes the writer appends.
 */
public final class RecordResultSerializer extends TypeSerializerSingleton<RecordResult> {
  private static final long serialVersionUID = 1L;
  static final RecordResultSerializer INSTANCE = new RecordResultSerializer();
  private static final RecordKind[] KINDS = RecordKind.values();

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public RecordResult createInstance() {
    return new RecordResult();
  }

  @Override
  public RecordResult copy(RecordResult from) {
    return copy(from, new RecordResult());
  }

  /** The line's bytes are never changed once built, so a copy shares them. */
  @Override
  public RecordResult copy(RecordResult from, RecordResult reuse) {
    reuse.file = from.file;
    reuse.lineNumber = from.lineNumber;
    reuse.kind = from.kind;
    reuse.outputLine = from.outputLine;
    reuse.success = from.success;
    reuse.inputTokens = from.inputTokens;
    reuse.outputTokens = from.outputTokens;
    return reuse;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(RecordResult r, DataOutputView out) throws IOException {
    Utf8Fields.write(r.file, out);
    out.writeLong(r.lineNumber);
    out.writeByte(r.kind.ordinal());
    Utf8Fields.writeBytes(r.outputLine, out);
    out.writeBoolean(r.success);
    out.writeLong(r.inputTokens);
    out.writeLong(r.outputTokens);
  }

  @Override
  public RecordResult deserialize(DataInputView in) throws IOException {
    return deserialize(new RecordResult(), in);
  }

  @Override
  public RecordResult deserialize(RecordResult reuse, DataInputView in) throws IOException {
    reuse.file = Utf8Fields.read(in);
    reuse.lineNumber = in.readLong();
    reuse.kind = KINDS[in.readByte()];
    reuse.outputLine = Utf8Fields.readBytes(in);
    reuse.success = in.readBoolean();
    reuse.inputTokens = in.readLong();
    reuse.outputTokens = in.readLong();
    return reuse;
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<RecordResult> snapshotConfiguration() {
    return new Snapshot();
  }

  /** The serializer's snapshot in checkpoints: it has no configuration, only a version. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RecordResult> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** Gives {@link RecordResult} this serializer wherever Flink extracts its type. */
  public static final class Factory extends TypeInfoFactory<RecordResult> {
    @Override
    public TypeInformation<RecordResult> createTypeInfo(
        Type type, Map<String, TypeInformation<?>> genericParameters) {
      return new RecordTypeInfo<>(RecordResult.class, INSTANCE);
    }
  }
}
