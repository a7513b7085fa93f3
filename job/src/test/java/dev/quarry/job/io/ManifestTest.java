package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.progress.JobProgress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

  @Test
  void jsonHasBedrocksFieldsInBedrocksOrder() throws Exception {
    String json = new Manifest(10, 9, 7, 2, 1234, 567).toJson();
    assertThat(json)
        .isEqualTo(
            "{\"totalRecordCount\":10,\"processedRecordCount\":9,\"successRecordCount\":7,"
                + "\"errorRecordCount\":2,\"inputTokenCount\":1234,\"outputTokenCount\":567}");
    JsonNode node = new ObjectMapper().readTree(json);
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "totalRecordCount",
            "processedRecordCount",
            "successRecordCount",
            "errorRecordCount",
            "inputTokenCount",
            "outputTokenCount");
    node.elements().forEachRemaining(v -> assertThat(v.isIntegralNumber()).isTrue());
  }

  @Test
  void roundTrip() {
    Manifest m = new Manifest(5_000_000_000L, 4, 3, 1, Long.MAX_VALUE, 0);
    assertThat(Manifest.fromJson(m.toJson())).isEqualTo(m);
  }

  @Test
  void readsFieldsInAnyOrder() {
    assertThat(
            Manifest.fromJson(
                "{\"outputTokenCount\":6,\"inputTokenCount\":5,\"errorRecordCount\":4,"
                    + "\"successRecordCount\":3,\"processedRecordCount\":2,\"totalRecordCount\":1}"))
        .isEqualTo(new Manifest(1, 2, 3, 4, 5, 6));
  }

  @Test
  void ofTakesTheCountsFromProgress() {
    Manifest m = Manifest.of(12, new JobProgress(11, 8, 3, 100, 50));
    assertThat(m).isEqualTo(new Manifest(12, 11, 8, 3, 100, 50));
  }

  @Test
  void notAManifest() {
    assertThatThrownBy(() -> Manifest.fromJson("[1,2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not a manifest: ");
    assertThatThrownBy(() -> Manifest.fromJson("{"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not a manifest: ");
  }
}
