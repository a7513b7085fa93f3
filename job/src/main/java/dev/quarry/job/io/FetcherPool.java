package dev.quarry.job.io;

import dev.quarry.job.record.SourceLine;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherManager;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * A fixed number of fetchers (threads), each reading its files one after the other; a new file goes
 * to the fetcher with the fewest.
 *
 * <p>Fetchers stay until the reader has been told no more files will come, and then close all at
 * once. Flink's own manager closes a fetcher whenever it runs out of files and starts a new one for
 * the next; in Flink 2.3 a fetcher closing while another fills the hand-over queue can lose its
 * closing batch and hold up the end of the input for 30 s (seen here in 2 of 5 runs). Closing all
 * together with room in the queue for every closing batch (see {@link ConcurrentFileReader}) avoids
 * that.
 */
final class FetcherPool
    extends SplitFetcherManager<RecordAndPosition<SourceLine>, FileSourceSplit> {
  private final int size;
  private final FetcherLoad counts;
  private volatile boolean noMoreSplits;

  FetcherPool(
      Supplier<SplitReader<RecordAndPosition<SourceLine>, FileSourceSplit>> readers,
      Configuration config,
      int size) {
    this(readers, config, size, new FetcherLoad());
  }

  private FetcherPool(
      Supplier<SplitReader<RecordAndPosition<SourceLine>, FileSourceSplit>> readers,
      Configuration config,
      int size,
      FetcherLoad counts) {
    super(readers, config, counts::finished);
    this.size = size;
    this.counts = counts;
  }

  @Override
  public void addSplits(List<FileSourceSplit> splits) {
    for (FileSourceSplit split : splits) {
      SplitFetcher<RecordAndPosition<SourceLine>, FileSourceSplit> fetcher;
      boolean created = fetchers.size() < size;
      if (created) {
        fetcher = createSplitFetcher();
      } else {
        fetcher =
            fetchers.values().stream()
                .min(Comparator.comparingInt(f -> counts.of(f.fetcherId())))
                .orElseThrow();
      }
      counts.assigned(split.splitId(), fetcher.fetcherId());
      fetcher.addSplits(List.of(split));
      if (created) {
        startFetcher(fetcher);
      }
    }
  }

  @Override
  public void removeSplits(List<FileSourceSplit> splits) {
    throw new UnsupportedOperationException("Input files are never taken back from a reader");
  }

  void noMoreSplits() {
    noMoreSplits = true;
  }

  @Override
  public boolean maybeShutdownFinishedFetchers() {
    if (!noMoreSplits || counts.unfinished() > 0) {
      return false;
    }
    return super.maybeShutdownFinishedFetchers();
  }

  /**
   * Which fetcher reads which file, and how many unfinished files each has; updated from fetcher
   * threads.
   */
  private static final class FetcherLoad {
    private final Map<String, Integer> fetcherOfFile = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> perFetcher = new ConcurrentHashMap<>();

    void assigned(String splitId, int fetcherId) {
      fetcherOfFile.put(splitId, fetcherId);
      perFetcher.computeIfAbsent(fetcherId, id -> new AtomicInteger()).incrementAndGet();
    }

    void finished(Collection<String> splitIds) {
      for (String id : splitIds) {
        Integer fetcher = fetcherOfFile.remove(id);
        if (fetcher != null) {
          perFetcher.get(fetcher).decrementAndGet();
        }
      }
    }

    int of(int fetcherId) {
      AtomicInteger n = perFetcher.get(fetcherId);
      return n == null ? 0 : n.get();
    }

    int unfinished() {
      return fetcherOfFile.size();
    }
  }
}
