package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.record.SourceLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's fetchers on real local files: several files at once, every line once, and a quick
 * close.
 */
class FetcherPoolTest {
  static final int FILES = 12;
  static final int LINES = 3;
  static final int FETCHERS = ConcurrentFileReader.FETCHERS;

  @TempDir java.nio.file.Path dir;

  /**
   * The real line format, watched: files open at once, and the first few held until all of them are
   * open.
   */
  static final class WatchedFormat implements BulkFormat<SourceLine, FileSourceSplit> {
    final JsonlLineFormat real = new JsonlLineFormat(1 << 20);
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    final CountDownLatch together = new CountDownLatch(FETCHERS);

    @Override
    public Reader<SourceLine> createReader(Configuration config, FileSourceSplit split)
        throws IOException {
      maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
      together.countDown();
      try {
        if (!together.await(20, TimeUnit.SECONDS)) {
          throw new IOException(FETCHERS + " files were never open at once");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      Reader<SourceLine> reader = real.createReader(config, split);
      return new Reader<>() {
        @Override
        public RecordIterator<SourceLine> readBatch() throws IOException {
          return reader.readBatch();
        }

        @Override
        public void close() throws IOException {
          open.decrementAndGet();
          reader.close();
        }
      };
    }

    @Override
    public Reader<SourceLine> restoreReader(Configuration config, FileSourceSplit split)
        throws IOException {
      return createReader(config, split);
    }

    @Override
    public boolean isSplittable() {
      return false;
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
      return real.getProducedType();
    }
  }

  private List<FileSourceSplit> files() throws IOException {
    for (int f = 0; f < FILES; f++) {
      StringBuilder text = new StringBuilder();
      for (int l = 0; l < LINES; l++) {
        text.append("{\"recordId\":\"f").append(f).append("-").append(l).append("\"}\n");
      }
      Files.writeString(
          dir.resolve("part-" + f + ".jsonl"), text.toString(), StandardCharsets.UTF_8);
    }
    return new ArrayList<>(
        new JsonlFileEnumerator().enumerateSplits(new Path[] {new Path(dir.toUri())}, 1));
  }

  @Test
  void readsSeveralFilesAtOnceEveryLineOnceAndClosesOnlyWhenNoMoreFilesCome() throws Exception {
    Configuration config = ConcurrentFileReader.withQueueForEveryFetcher(new Configuration());
    WatchedFormat format = new WatchedFormat();
    FetcherPool pool = new FetcherPool(() -> new FileSplitReader(config, format), config, FETCHERS);
    List<FileSourceSplit> splits = files();
    pool.addSplits(splits);

    Set<String> lines = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    Set<String> finished = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (finished.size() < FILES && System.nanoTime() < deadline) {
      RecordsWithSplitIds<RecordAndPosition<SourceLine>> batch = pool.getQueue().poll();
      if (batch == null) {
        Thread.sleep(5);
        continue;
      }
      while (batch.nextSplit() != null) {
        RecordAndPosition<SourceLine> r;
        while ((r = batch.nextRecordFromSplit()) != null) {
          SourceLine line = r.getRecord();
          String key =
              new Path(line.file).getName() + (line.endOfFile ? ":end" : ":" + line.lineNumber);
          if (!lines.add(key)) {
            duplicates.add(key);
          }
        }
      }
      finished.addAll(batch.finishedSplits());
      batch.recycle();
      pool.checkErrors();
    }

    assertThat(finished).hasSize(FILES);
    assertThat(lines).hasSize(FILES * (LINES + 1));
    assertThat(duplicates).isEmpty();
    assertThat(format.maxOpen.get()).as("files open at once").isEqualTo(FETCHERS);
    assertThat(pool.maybeShutdownFinishedFetchers())
        .as("fetchers stay while more files may come")
        .isFalse();
    assertThat(pool.getNumAliveFetchers()).isEqualTo(FETCHERS);

    pool.noMoreSplits();
    assertThat(pool.maybeShutdownFinishedFetchers()).isTrue();
    long closing = System.nanoTime();
    pool.close(20_000);
    assertThat((System.nanoTime() - closing) / 1e9)
        .as("seconds to close (30 s when a closing batch is lost)")
        .isLessThan(10);
  }
}
