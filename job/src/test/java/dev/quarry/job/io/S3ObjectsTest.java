package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.job.testing.CuttingProxy;
import dev.quarry.job.testing.SharedS3;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Small objects in one request through the SDK, against S3Proxy: the client reaches S3 as Flink's
 * S3 file system does, reads an object or its tail, writes one whole, and an upload broken half way
 * leaves nothing behind.
 */
class S3ObjectsTest {
  static final String BUCKET = "s3-objects";

  static SharedS3 s3;

  @BeforeAll
  static void start() {
    s3 = SharedS3.get();
    s3.createBucket(BUCKET);
  }

  @Test
  void settingsAreTheOnesFlinksS3FileSystemWasGiven() throws IOException {
    S3Settings read = FileSystemS3Settings.of(new Path("s3://" + BUCKET + "/any"));

    S3Settings given = s3.settings();
    assertThat(read.endpoint()).isEqualTo(given.endpoint());
    assertThat(read.pathStyleAccess()).isTrue();
    assertThat(read.accessKey()).isEqualTo(given.accessKey());
    assertThat(read.secretKey()).isEqualTo(given.secretKey());
    assertThat(read.patience()).isEqualTo(S3Patience.DEFAULTS);
  }

  @Test
  void hadoopTimesReadWithTheirUnits() {
    assertThat(FileSystemS3Settings.millis("500ms", 1)).isEqualTo(500);
    assertThat(FileSystemS3Settings.millis("2000", 1)).isEqualTo(2000);
    assertThat(FileSystemS3Settings.millis("3s", 1)).isEqualTo(3000);
    assertThat(FileSystemS3Settings.millis(null, 7)).isEqualTo(7);
    assertThatThrownBy(() -> FileSystemS3Settings.millis("3 fortnights", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsAWholeObjectOrItsTail() throws IOException {
    s3.put(BUCKET, "read/a.jsonl", bytes("line one\nline two\n"));
    Path path = new Path("s3://" + BUCKET + "/read/a.jsonl");

    assertThat(text(S3Objects.of(path).get(path, 0))).isEqualTo("line one\nline two\n");
    assertThat(text(S3Objects.of(path).get(path, 9))).isEqualTo("line two\n");
  }

  @Test
  void aMissingObjectIsFileNotFound() {
    Path path = new Path("s3://" + BUCKET + "/read/none.jsonl");
    assertThatThrownBy(() -> S3Objects.of(path).get(path, 0))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("none.jsonl");
  }

  @Test
  void inputsOpenWholeWhenSmallAndInRangesWhenLarge() throws IOException {
    s3.put(BUCKET, "open/small.jsonl", bytes("{\"a\":1}\n{\"a\":2}\n"));
    Path small = new Path("s3://" + BUCKET + "/open/small.jsonl");
    assertThat(read(InputObjects.open(small, 16, 0))).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
    assertThat(read(InputObjects.open(small, 16, 8))).isEqualTo("{\"a\":2}\n");
    // restored after its last line: nothing is left to read, and nothing is asked of S3
    assertThat(read(InputObjects.open(small, 16, 16))).isEmpty();

    byte[] large = new byte[(int) InputObjects.WHOLE_READ_MAX_BYTES + 100];
    Arrays.fill(large, (byte) 'x');
    large[large.length - 1] = 'y';
    s3.put(BUCKET, "open/large.jsonl", large);
    Path path = new Path("s3://" + BUCKET + "/open/large.jsonl");
    try (InputStream in = InputObjects.open(path, large.length, large.length - 3)) {
      assertThat(text(in.readAllBytes())).isEqualTo("xxy");
    }
  }

  @Test
  void aLargeObjectIsReadInRangesAcrossEveryBoundary() throws IOException {
    byte[] object = new byte[3_000];
    new java.util.Random(7).nextBytes(object);
    s3.put(BUCKET, "ranges/large.jsonl", object);
    Path path = new Path("s3://" + BUCKET + "/ranges/large.jsonl");

    for (int rangeBytes : new int[] {7, 333, 1_000, 2_983, 5_000}) {
      try (InputStream in =
          new S3RangeInputStream(S3Objects.of(path), path, 17, object.length, rangeBytes)) {
        // one byte, then bulk reads: both cross range boundaries
        assertThat(in.read()).isEqualTo(object[17] & 0xff);
        assertThat(in.readAllBytes())
            .as("by %d", rangeBytes)
            .isEqualTo(Arrays.copyOfRange(object, 18, object.length));
        assertThat(in.read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void aReaderThatPausesLongerThanTheServerKeepsAConnectionReadsOn() throws Exception {
    byte[] object = new byte[16 * 1024 * 1024];
    new java.util.Random(11).nextBytes(object);
    s3.put(BUCKET, "ranges/paused.jsonl", object);
    Path path = new Path("s3://" + BUCKET + "/ranges/paused.jsonl");
    // Every connection is dropped 1 s after it opens, whatever it is doing, as a server drops one
    // whose response the client stopped reading (a reader held back by slower model calls).
    try (CuttingProxy proxy = CuttingProxy.droppingAfter(s3.server().endpoint(), 1_000)) {
      S3Client client =
          S3Objects.newClient(
              proxy.settingsThrough(s3.settings(), new S3Patience(1_000, 1, 1, 100)));

      // One GET streamed across the pause, as S3A read: the rest of the answer is lost (here the
      // SDK's stream ended early without an error).
      try (InputStream streamed =
          client.getObject(b -> b.bucket(BUCKET).key("ranges/paused.jsonl"))) {
        streamed.readNBytes(100);
        Thread.sleep(1_500);
        int rest;
        try {
          rest = streamed.readAllBytes().length;
        } catch (IOException e) {
          rest = -1; // as S3A saw it: an error
        }
        assertThat(rest).as("the rest of a streamed answer").isLessThan(object.length - 100);
      }

      try (InputStream in =
          new S3RangeInputStream(
              new S3Objects(client),
              path,
              0,
              object.length,
              (int) InputObjects.WHOLE_READ_MAX_BYTES)) {
        byte[] first = in.readNBytes(100);
        Thread.sleep(1_500);
        byte[] rest = in.readAllBytes();
        assertThat(first).isEqualTo(Arrays.copyOf(object, 100));
        assertThat(rest).isEqualTo(Arrays.copyOfRange(object, 100, object.length));
      }
    }
  }

  @Test
  void anAnswerCutShortIsAskedForAgainThenFailsTheReadNeverShort() throws IOException {
    byte[] object = new byte[256 * 1024];
    new java.util.Random(3).nextBytes(object);
    s3.put(BUCKET, "ranges/cut-answer.jsonl", object);
    Path path = new Path("s3://" + BUCKET + "/ranges/cut-answer.jsonl");
    try (CuttingProxy proxy = CuttingProxy.cuttingAnswersAfter(s3.server().endpoint(), 64 * 1024)) {
      S3Objects through =
          new S3Objects(
              S3Objects.newClient(
                  proxy.settingsThrough(s3.settings(), new S3Patience(1_000, 1, 1, 100))));
      assertThatThrownBy(() -> through.get(path, 0))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cut-answer.jsonl")
          .hasMessageContaining("Incomplete read");
      // A range that fits before the cut is read whole.
      assertThat(through.getRange(path, 1_000, 33_000, null).bytes())
          .isEqualTo(Arrays.copyOfRange(object, 1_000, 33_000));
    }
  }

  @Test
  void anObjectReplacedOrCutHalfWayFailsTheReadNamingIt() throws IOException {
    byte[] object = new byte[2_000];
    Arrays.fill(object, (byte) 'a');
    s3.put(BUCKET, "ranges/replaced.jsonl", object);
    Path path = new Path("s3://" + BUCKET + "/ranges/replaced.jsonl");
    try (InputStream in = new S3RangeInputStream(S3Objects.of(path), path, 0, 2_000, 1_000)) {
      assertThat(in.readNBytes(1_000)).hasSize(1_000);
      byte[] other = new byte[2_000];
      Arrays.fill(other, (byte) 'b');
      s3.put(BUCKET, "ranges/replaced.jsonl", other);
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("replaced.jsonl")
          .hasMessageContaining("changed while it was read");
    }

    s3.put(BUCKET, "ranges/cut.jsonl", new byte[1_000]);
    Path cut = new Path("s3://" + BUCKET + "/ranges/cut.jsonl");
    try (InputStream in = new S3RangeInputStream(S3Objects.of(cut), cut, 0, 2_000, 1_000)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cut.jsonl")
          .hasMessageContaining("shorter than the 2000 bytes");
    }
  }

  @Test
  void writesAnObjectWholeAndAgainTheSame() throws IOException {
    Path path = new Path("s3://" + BUCKET + "/put/a.jsonl.out");
    byte[] contents = bytes("{\"recordId\":\"1\"}\n");

    S3Objects.of(path).put(path, contents);
    S3Objects.of(path).put(path, contents);

    assertThat(s3.keys(BUCKET, "put/")).containsExactly("put/a.jsonl.out");
    assertThat(s3.getString(BUCKET, "put/a.jsonl.out")).isEqualTo("{\"recordId\":\"1\"}\n");
  }

  @Test
  void anUploadBrokenHalfWayLeavesNoObjectAndFailsWithinItsRetries() throws IOException {
    byte[] contents = new byte[64 * 1024];
    Arrays.fill(contents, (byte) 'z');
    Path path = new Path("s3://" + BUCKET + "/cut/a.jsonl.out");
    S3Settings real = s3.settings();
    try (CuttingProxy proxy = new CuttingProxy(s3.server().endpoint(), 16 * 1024)) {
      S3Objects cut =
          new S3Objects(
              S3Objects.newClient(proxy.settingsThrough(real, new S3Patience(1_000, 1, 1, 100))));
      long start = System.nanoTime();

      assertThatThrownBy(() -> cut.put(path, contents))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cut/a.jsonl.out");

      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
      assertThat(proxy.connections()).isBetween(1, 4); // (1 + 1) * (1 + 1) attempts at most
    }
    assertThat(s3.keys(BUCKET, "cut/")).isEmpty();

    S3Objects.of(path).put(path, contents);
    assertThat(s3.keys(BUCKET, "cut/")).containsExactly("cut/a.jsonl.out");
    assertThat(s3.getString(BUCKET, "cut/a.jsonl.out")).isEqualTo(text(contents));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return text(in.readAllBytes());
    }
  }

  @Test
  void listsTheNamesInAFolderThatStartWithAPrefixAndDeletes() throws IOException {
    for (String key :
        List.of("list/_a_tmp_1", "list/_b_tmp_2", "list/a.jsonl.out", "list/sub/_c_tmp_3")) {
      s3.put(BUCKET, key, bytes("x"));
    }
    Path folder = new Path("s3://" + BUCKET + "/list");
    S3Objects objects = S3Objects.of(folder);

    assertThat(objects.namesStartingWith(folder, "_"))
        .as("objects of the folder only, not of its subfolders")
        .extracting(Path::getName)
        .containsExactly("_a_tmp_1", "_b_tmp_2");
    assertThat(objects.namesStartingWith(new Path("s3://" + BUCKET + "/list/"), "a."))
        .extracting(Path::toString)
        .containsExactly("s3://" + BUCKET + "/list/a.jsonl.out");
    assertThat(objects.namesStartingWith(folder, "b")).isEmpty();

    objects.delete(new Path("s3://" + BUCKET + "/list/_a_tmp_1"));
    objects.delete(new Path("s3://" + BUCKET + "/list/_never_there"));

    assertThat(s3.keys(BUCKET, "list/"))
        .containsExactly("list/_b_tmp_2", "list/a.jsonl.out", "list/sub/_c_tmp_3");
  }
}
