package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.stop.StopMarker;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverSweeperTest {
  @TempDir java.nio.file.Path root;

  private java.nio.file.Path file(String relative) throws IOException {
    java.nio.file.Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "x");
    return p;
  }

  private List<String> remaining() throws IOException {
    try (Stream<java.nio.file.Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .toList();
    }
  }

  @Test
  void sweepsLeftoversRecursivelyAndKeepsOutputs() throws IOException {
    String uuid = UUID.randomUUID().toString();
    file("a.jsonl.out");
    file("manifest.json.out");
    file("nested/b.jsonl.out");
    file("nested/deeper/c.jsonl.out");
    file(".a.jsonl.out.inprogress." + uuid);
    file("_a.jsonl.out_tmp_" + uuid);
    file(StopMarker.NAME);
    file("nested/.b.jsonl.out.inprogress." + UUID.randomUUID());
    file("nested/deeper/_c.jsonl.out_tmp_" + UUID.randomUUID());

    int deleted = LeftoverSweeper.sweep(new Path(root.toUri()));

    assertThat(deleted).isEqualTo(5);
    assertThat(remaining())
        .containsExactlyInAnyOrder(
            "a.jsonl.out", "manifest.json.out", "nested/b.jsonl.out", "nested/deeper/c.jsonl.out");
    assertThat(Files.isDirectory(root.resolve("nested/deeper"))).isTrue();
    assertThat(LeftoverSweeper.sweep(new Path(root.toUri()))).as("second sweep").isZero();
  }

  @Test
  void missingFolderSweepsNothing() throws IOException {
    assertThat(LeftoverSweeper.sweep(new Path(root.resolve("absent").toUri()))).isZero();
  }

  @Test
  void emptyFolderSweepsNothing() throws IOException {
    assertThat(LeftoverSweeper.sweep(new Path(root.toUri()))).isZero();
  }

  @Test
  void leftoverNames() {
    assertThat(LeftoverSweeper.isLeftover("_quarry_stop")).isTrue();
    assertThat(
            LeftoverSweeper.isLeftover(
                ".a.jsonl.out.inprogress.0f8c3a9e-1b2c-4d5e-8f90-123456789abc"))
        .isTrue();
    assertThat(LeftoverSweeper.isLeftover("_a.jsonl.out_tmp_0f8c3a9e-1b2c-4d5e-8f90-123456789abc"))
        .isTrue();
    assertThat(LeftoverSweeper.isLeftover("_manifest.json.out_tmp_x")).isTrue();

    assertThat(LeftoverSweeper.isLeftover("a.jsonl.out")).isFalse();
    assertThat(LeftoverSweeper.isLeftover("manifest.json.out")).isFalse();
    assertThat(LeftoverSweeper.isLeftover("a.inprogress.b.out")).isFalse();
    assertThat(LeftoverSweeper.isLeftover("a_tmp_b.out")).isFalse();
    assertThat(LeftoverSweeper.isLeftover(".hidden")).isFalse();
    assertThat(LeftoverSweeper.isLeftover("_other")).isFalse();
    assertThat(LeftoverSweeper.isLeftover("quarry_stop")).isFalse();
  }
}
