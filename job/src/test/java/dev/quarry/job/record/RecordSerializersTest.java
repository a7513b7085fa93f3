package dev.quarry.job.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Records between operators: every field through the wire and through a checkpoint. */
class RecordSerializersTest {

  @Test
  void flinkGivesTheRecordTypesTheirOwnSerializers() {
    assertThat(serializer(BatchRecord.class)).isInstanceOf(BatchRecordSerializer.class);
    assertThat(serializer(RecordResult.class)).isInstanceOf(RecordResultSerializer.class);
  }

  @Test
  void aBatchRecordKeepsEveryFieldNullsAndNonAsciiTextIncluded() throws Exception {
    BatchRecord invalid =
        BatchRecord.invalid(
            "s3://in/ä.jsonl", 7, "id-é", "{\"prompt\":\"日本\"}", 400, "Line 7: why ✓");
    BatchRecord back = roundTrip(serializer(BatchRecord.class), invalid);
    assertThat(back).usingRecursiveComparison().isEqualTo(invalid);

    BatchRecord blank = BatchRecord.blank("s3://in/a.jsonl", 3);
    assertThat(roundTrip(serializer(BatchRecord.class), blank))
        .usingRecursiveComparison()
        .isEqualTo(blank);
  }

  @Test
  void aRecordResultKeepsItsLineAndCounts() throws Exception {
    RecordResult result = RecordResult.output("s3://in/a.jsonl", 2, "{\"a\":\"ü\"}", true, 11, 5);
    RecordResult back = roundTrip(serializer(RecordResult.class), result);
    assertThat(back).usingRecursiveComparison().isEqualTo(result);
    assertThat(new String(back.outputLine, StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"ü\"}\n");

    RecordResult end = RecordResult.passThrough(BatchRecord.endOfFile("s3://in/a.jsonl", 9));
    assertThat(roundTrip(serializer(RecordResult.class), end))
        .usingRecursiveComparison()
        .isEqualTo(end);
  }

  @Test
  void aCheckpointedSerializerComesBackCompatible() throws Exception {
    TypeSerializer<BatchRecord> serializer = serializer(BatchRecord.class);
    TypeSerializerSnapshot<BatchRecord> snapshot = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    TypeSerializerSnapshot<BatchRecord> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(
            serializer.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs())
        .isTrue();
    assertThat(read.restoreSerializer()).isEqualTo(serializer);
  }

  private static <T> TypeSerializer<T> serializer(Class<T> type) {
    return TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
  }

  private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    T back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    // and through copy(), as the async operator copies what it queues
    assertThat(serializer.copy(back)).usingRecursiveComparison().isEqualTo(back);
    return back;
  }
}
