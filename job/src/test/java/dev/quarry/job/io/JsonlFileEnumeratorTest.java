package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.job.listing.StoredInputListing;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.StatusStoreAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlFileEnumeratorTest {
  @TempDir java.nio.file.Path root;

  private void file(String relative, String content) throws IOException {
    java.nio.file.Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, content.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> relativePaths(Collection<FileSourceSplit> splits) {
    String base = new Path(root.toUri()).toUri().getPath();
    String prefix = base.endsWith("/") ? base : base + "/";
    List<String> names = new ArrayList<>();
    for (FileSourceSplit s : splits) {
      String path = s.path().toUri().getPath();
      assertThat(path).startsWith(prefix);
      names.add(path.substring(prefix.length()));
    }
    return names;
  }

  @Test
  void findsExactlyTheJsonlFilesRecursively() throws IOException {
    file("a.jsonl", "{}\n");
    file("B.JSONL", "{}\n{}\n");
    file("c.txt", "{}\n");
    file("d.json", "{}\n");
    file("e.jsonl.out", "{}\n");
    file("jsonl", "{}\n");
    file(".x.jsonl", "{}\n");
    file("_x.jsonl", "{}\n");
    file(".a.jsonl.inprogress.1234", "{}\n");
    file("nested/f.jsonl", "{\"k\":1}\n");
    file("nested/g.txt", "{}\n");
    file("nested/deeper/h.Jsonl", "");
    file("nested/deeper/_y.jsonl", "{}\n");
    file("v1.2/i.jsonl", "{}\n");
    file("v1.2/j.jsonl.bak", "{}\n");
    file("dir.jsonl/k.jsonl", "{}\n");

    Collection<FileSourceSplit> splits =
        new JsonlFileEnumerator().enumerateSplits(new Path[] {new Path(root.toUri())}, 1);

    assertThat(relativePaths(splits))
        .containsExactlyInAnyOrder(
            "a.jsonl",
            "B.JSONL",
            ".x.jsonl",
            "_x.jsonl",
            "nested/f.jsonl",
            "nested/deeper/h.Jsonl",
            "nested/deeper/_y.jsonl",
            "v1.2/i.jsonl",
            "dir.jsonl/k.jsonl");
    assertThat(relativePaths(splits)).as("in path order, as validation lists them").isSorted();
    assertThat(splits).extracting(FileSourceSplit::splitId).doesNotHaveDuplicates();
    for (FileSourceSplit s : splits) {
      long size = Files.size(java.nio.file.Path.of(s.path().toUri()));
      assertThat(s.offset()).isZero();
      assertThat(s.length()).isEqualTo(size);
      assertThat(s.fileSize()).isEqualTo(size);
      assertThat(s.getReaderPosition()).isEmpty();
    }
  }

  @Test
  void namesStartingWithAnUnderscoreOrADotAreInputToo() throws IOException {
    file("_hidden/a.jsonl", "{}\n");
    file(".hidden/b.jsonl", "{}\n");
    file("visible/c.jsonl", "{}\n");
    Collection<FileSourceSplit> splits =
        new JsonlFileEnumerator().enumerateSplits(new Path[] {new Path(root.toUri())}, 1);
    assertThat(relativePaths(splits))
        .containsExactly(".hidden/b.jsonl", "_hidden/a.jsonl", "visible/c.jsonl");
  }

  @Test
  void aPrefixWhoseLastSegmentStartsWithAnUnderscoreIsRead() throws IOException {
    file("run/_staging/a.jsonl", "{}\n");
    file("run/_staging/.b.jsonl", "{}\n");
    Collection<FileSourceSplit> splits =
        new JsonlFileEnumerator()
            .enumerateSplits(new Path[] {new Path(root.resolve("run/_staging").toUri())}, 1);
    assertThat(relativePaths(splits))
        .containsExactly("run/_staging/.b.jsonl", "run/_staging/a.jsonl");
    assertThat(InputFiles.list(new Path(root.resolve("run/_staging").toUri())))
        .extracting(f -> f.getPath().toUri().getPath())
        .containsExactlyElementsOf(splits.stream().map(sp -> sp.path().toUri().getPath()).toList());
  }

  @Test
  void singleFileInput() throws IOException {
    file("only.jsonl", "{}\n{}\n");
    file("other.jsonl", "{}\n");
    Collection<FileSourceSplit> splits =
        new JsonlFileEnumerator()
            .enumerateSplits(new Path[] {new Path(root.resolve("only.jsonl").toUri())}, 4);
    assertThat(relativePaths(splits)).containsExactly("only.jsonl");
    assertThat(splits.iterator().next().length()).isEqualTo(6);
  }

  @Test
  void singleFileWithAnotherExtensionIsNoInput() throws IOException {
    file("data.txt", "{}\n");
    assertThat(
            new JsonlFileEnumerator()
                .enumerateSplits(new Path[] {new Path(root.resolve("data.txt").toUri())}, 1))
        .isEmpty();
  }

  @Test
  void emptyFolderHasNoSplits() throws IOException {
    Files.createDirectories(root.resolve("empty"));
    assertThat(
            new JsonlFileEnumerator()
                .enumerateSplits(new Path[] {new Path(root.resolve("empty").toUri())}, 1))
        .isEmpty();
  }

  @Test
  void aStoreThatCannotBeReadFailsTheEnumerationRatherThanListingTheFolder() throws IOException {
    file("a.jsonl", "{}\n");
    StatusStoreAddress unreachable =
        new StatusStoreAddress(
            "jdbc:postgresql://127.0.0.1:1/quarry?connectTimeout=1", "u", SecretRef.inProcess("p"));
    JsonlFileEnumerator enumerator =
        new JsonlFileEnumerator(new StoredInputListing(unreachable, "job000000001"));
    assertThatThrownBy(() -> enumerator.enumerateSplits(new Path[] {new Path(root.toUri())}, 1))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "Cannot read the input listing of job job000000001 from the status store at"
                + " jdbc:postgresql://127.0.0.1:1/quarry");
  }

  @Test
  void isInputFileLooksAtTheExtensionOnly() {
    assertThat(InputFiles.isInputFile("a.jsonl")).isTrue();
    assertThat(InputFiles.isInputFile("A.JSONL")).isTrue();
    assertThat(InputFiles.isInputFile("a.JsonL")).isTrue();
    assertThat(InputFiles.isInputFile("a.json")).isFalse();
    assertThat(InputFiles.isInputFile("a.jsonl.out")).isFalse();
    assertThat(InputFiles.isInputFile("a.jsonlx")).isFalse();
    assertThat(InputFiles.isInputFile("jsonl")).isFalse();
    assertThat(InputFiles.isInputFile("a.txt")).isFalse();
  }

  @Test
  void isInputPathPicksWhatTheEnumeratorPicks() throws IOException {
    List<String> all =
        List.of(
            "a.jsonl",
            "B.JSONL",
            "c.txt",
            "e.jsonl.out",
            ".x.jsonl",
            "_x.jsonl",
            "nested/f.jsonl",
            "nested/deeper/_y.jsonl",
            "_hidden/a.jsonl",
            ".hidden/b.jsonl",
            "v1.2/i.jsonl",
            "dir.jsonl/k.jsonl",
            "dir.jsonl/k.txt");
    for (String f : all) {
      file(f, "{}\n");
    }
    Collection<FileSourceSplit> splits =
        new JsonlFileEnumerator().enumerateSplits(new Path[] {new Path(root.toUri())}, 1);
    assertThat(all.stream().filter(InputFiles::isInputPath))
        .containsExactlyInAnyOrderElementsOf(relativePaths(splits))
        .isNotEmpty();
  }
}
