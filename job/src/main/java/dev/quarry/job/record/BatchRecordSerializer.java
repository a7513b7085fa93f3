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
 * Writes a {@link BatchRecord} between the reader's task and the model-call subtasks (and into the
 * async operator's checkpointed queue): its fields in a fixed order, text as UTF-8.
 */
public final class BatchRecordSerializer extends TypeSerializerSingleton<BatchRecord> {
  private static final long serialVersionUID = 1L;
  static final BatchRecordSerializer INSTANCE = new BatchRecordSerializer();
  private static final RecordKind[] KINDS = RecordKind.values();

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public BatchRecord createInstance() {
    return new BatchRecord();
  }

  /** Every field is immutable (strings, numbers, an enum), so a field-by-field copy is deep. */
  @Override
  public BatchRecord copy(BatchRecord from) {
    return copy(from, new BatchRecord());
  }

  @Override
  public BatchRecord copy(BatchRecord from, BatchRecord reuse) {
    reuse.file = from.file;
    reuse.lineNumber = from.lineNumber;
    reuse.kind = from.kind;
    reuse.recordId = from.recordId;
    reuse.modelInput = from.modelInput;
    reuse.errorCode = from.errorCode;
    reuse.errorMessage = from.errorMessage;
    return reuse;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(BatchRecord r, DataOutputView out) throws IOException {
    Utf8Fields.write(r.file, out);
    out.writeLong(r.lineNumber);
    out.writeByte(r.kind.ordinal());
    Utf8Fields.write(r.recordId, out);
    Utf8Fields.write(r.modelInput, out);
    out.writeInt(r.errorCode);
    Utf8Fields.write(r.errorMessage, out);
  }

  @Override
  public BatchRecord deserialize(DataInputView in) throws IOException {
    return deserialize(new BatchRecord(), in);
  }

  @Override
  public BatchRecord deserialize(BatchRecord reuse, DataInputView in) throws IOException {
    reuse.file = Utf8Fields.read(in);
    reuse.lineNumber = in.readLong();
    reuse.kind = KINDS[in.readByte()];
    reuse.recordId = Utf8Fields.read(in);
    reuse.modelInput = Utf8Fields.read(in);
    reuse.errorCode = in.readInt();
    reuse.errorMessage = Utf8Fields.read(in);
    return reuse;
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<BatchRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /** The serializer's snapshot in checkpoints: it has no configuration, only a version. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<BatchRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** Gives {@link BatchRecord} this serializer wherever Flink extracts its type. */
  public static final class Factory extends TypeInfoFactory<BatchRecord> {
    @Override
    public TypeInformation<BatchRecord> createTypeInfo(
        Type type, Map<String, TypeInformation<?>> genericParameters) {
      return new RecordTypeInfo<>(BatchRecord.class, INSTANCE);
    }
  }
}
