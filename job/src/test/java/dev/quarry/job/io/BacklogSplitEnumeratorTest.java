package dev.quarry.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.junit.jupiter.api.Test;

class BacklogSplitEnumeratorTest {
  static final int BACKLOG = BacklogSplitEnumerator.BACKLOG;

  private static List<FileSourceSplit> files(int n) {
    List<FileSourceSplit> splits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      splits.add(
          new FileSourceSplit("s" + i, new Path("s3://in/part-" + i + ".jsonl"), 0, 100, 0, 100));
    }
    return splits;
  }

  /**
   * Readers as Flink's FileSourceReader drives them: a request at start, then one per file it
   * finishes.
   */
  static final class Readers implements SplitEnumeratorContext<FileSourceSplit> {
    final Map<Integer, ArrayDeque<FileSourceSplit>> queues = new HashMap<>();
    final Map<Integer, List<String>> read = new HashMap<>();
    final Set<Integer> told = new HashSet<>();
    final Map<Integer, ReaderInfo> registered = new HashMap<>();
    final List<String> toldTooEarly = new ArrayList<>();
    int maxQueued;
    int assignments;
    int assignmentsPerReport;
    long scheduledPeriod = -1;

    Readers(int readers) {
      for (int i = 0; i < readers; i++) {
        registered.put(i, new ReaderInfo(i, "localhost"));
        queues.put(i, new ArrayDeque<>());
        read.put(i, new ArrayList<>());
      }
    }

    /** Reads one file of {@code reader}'s queue and asks for more; false when it has none. */
    boolean finishOne(BacklogSplitEnumerator enumerator, int reader) {
      FileSourceSplit split = queues.get(reader).poll();
      if (split == null) {
        return false;
      }
      read.get(reader).add(split.splitId());
      enumerator.handleSplitRequest(reader, "localhost");
      return true;
    }

    /**
     * Reads up to {@code n} files of {@code reader}'s queue and reports them as {@link
     * ConcurrentFileReader} does: one {@link FilesFinished} for all of them. False when it had
     * none.
     */
    boolean finishAndReport(BacklogSplitEnumerator enumerator, int reader, int n) {
      int finished = 0;
      while (finished < n && !queues.get(reader).isEmpty()) {
        read.get(reader).add(queues.get(reader).poll().splitId());
        finished++;
      }
      if (finished == 0) {
        return false;
      }
      assignments = 0;
      enumerator.handleSourceEvent(reader, new FilesFinished(finished));
      assignmentsPerReport = Math.max(assignmentsPerReport, assignments);
      return true;
    }

    List<String> allRead() {
      List<String> all = new ArrayList<>();
      read.values().forEach(all::addAll);
      return all;
    }

    @Override
    public void assignSplits(SplitsAssignment<FileSourceSplit> assignment) {
      assignments++;
      assignment
          .assignment()
          .forEach(
              (reader, splits) -> {
                queues.get(reader).addAll(splits);
                maxQueued = Math.max(maxQueued, queues.get(reader).size());
              });
    }

    @Override
    public void signalNoMoreSplits(int reader) {
      if (!queues.get(reader).isEmpty()) {
        toldTooEarly.add(
            "reader " + reader + " with " + queues.get(reader).size() + " files queued");
      }
      told.add(reader);
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
      return registered;
    }

    @Override
    public int currentParallelism() {
      return registered.size();
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> void callAsync(
        Callable<T> callable, BiConsumer<T, Throwable> handler, long delay, long period) {
      scheduledPeriod = period;
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
      runnable.run();
    }
  }

  /**
   * Every one of {@code files} was read once, reader 0 (the faster) read more than {@code
   * fasterReadMoreThan}, neither ever had more than {@link #BACKLOG} queued, and both were told
   * there are no more only once they had none.
   */
  private static void assertSharedAndToldWhenEmpty(
      Readers readers, int files, int fasterReadMoreThan) {
    assertThat(readers.allRead()).hasSize(files).doesNotHaveDuplicates();
    assertThat(readers.read.get(0).size())
        .as("the faster reader read more")
        .isGreaterThan(fasterReadMoreThan);
    assertThat(readers.maxQueued).isLessThanOrEqualTo(BACKLOG);
    assertThat(readers.told).containsExactlyInAnyOrder(0, 1);
    assertThat(readers.toldTooEarly).isEmpty();
  }

  @Test
  void aReaderKeepsAFewFilesQueuedAndEveryFileIsReadOnce() {
    Readers readers = new Readers(1);
    BacklogSplitEnumerator enumerator = new BacklogSplitEnumerator(readers, files(50));

    enumerator.handleSplitRequest(0, "localhost");
    assertThat(readers.queues.get(0)).hasSize(BACKLOG);
    while (readers.finishOne(enumerator, 0)) {
      assertThat(readers.queues.get(0).size() + readers.read.get(0).size()).isLessThanOrEqualTo(50);
      if (readers.read.get(0).size() <= 50 - BACKLOG) {
        assertThat(readers.queues.get(0)).as("queued after a file is finished").hasSize(BACKLOG);
      }
    }
    assertThat(readers.read.get(0)).hasSize(50).doesNotHaveDuplicates();
    assertThat(readers.maxQueued).isEqualTo(BACKLOG);
    assertThat(readers.told).containsExactly(0);
    assertThat(readers.toldTooEarly).isEmpty();
  }

  @Test
  void aReportOfSeveralFilesTopsTheReaderUpInOneAssignment() {
    Readers readers = new Readers(1);
    int files = 10 * BACKLOG + 3;
    BacklogSplitEnumerator enumerator = new BacklogSplitEnumerator(readers, files(files));

    enumerator.handleSplitRequest(0, "localhost");
    assertThat(readers.queues.get(0)).hasSize(BACKLOG);
    int reports = 0;
    while (readers.finishAndReport(enumerator, 0, BacklogSplitEnumerator.REPORT_EVERY)) {
      reports++;
      int left = files - readers.read.get(0).size();
      assertThat(readers.queues.get(0)).hasSize(Math.min(BACKLOG, left));
      if (left > 0) {
        assertThat(readers.told).as("told with %s files still to read", left).isEmpty();
      }
    }
    assertThat(readers.read.get(0)).hasSize(files).doesNotHaveDuplicates();
    assertThat(readers.assignmentsPerReport).isEqualTo(1);
    assertThat(reports)
        .isEqualTo(
            (files + BacklogSplitEnumerator.REPORT_EVERY - 1)
                / BacklogSplitEnumerator.REPORT_EVERY);
    assertThat(readers.maxQueued).isEqualTo(BACKLOG);
    assertThat(readers.told).containsExactly(0);
    assertThat(readers.toldTooEarly).isEmpty();
  }

  @Test
  void readersReportingInBatchesShareTheFilesAndAreToldOnlyWhenEmpty() {
    Readers readers = new Readers(2);
    BacklogSplitEnumerator enumerator = new BacklogSplitEnumerator(readers, files(97));
    enumerator.handleSplitRequest(0, "localhost");
    enumerator.handleSplitRequest(1, "localhost");
    boolean any = true;
    while (any) {
      // Reader 0 reports every 4 files, reader 1 (slower) every 3; each reports its last files
      // whatever their number, as a reader with none left does.
      any =
          readers.finishAndReport(enumerator, 0, 4)
              | readers.finishAndReport(enumerator, 0, 4)
              | readers.finishAndReport(enumerator, 1, 3);
    }
    assertSharedAndToldWhenEmpty(readers, 97, 55);
  }

  @Test
  void aReportCoversAtLeastOneFileAndOnlyReportsAreAccepted() {
    assertThatThrownBy(() -> new FilesFinished(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one file");
    Readers readers = new Readers(1);
    BacklogSplitEnumerator enumerator = new BacklogSplitEnumerator(readers, files(3));
    assertThatThrownBy(() -> enumerator.handleSourceEvent(0, new SourceEvent() {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unexpected source event");
  }

  @Test
  void twoReadersShareTheFilesAndEndTogether() {
    Readers readers = new Readers(2);
    BacklogSplitEnumerator enumerator = new BacklogSplitEnumerator(readers, files(101));
    enumerator.handleSplitRequest(0, "localhost");
    enumerator.handleSplitRequest(1, "localhost");
    boolean any = true;
    while (any) {
      // Reader 0 is twice as fast as reader 1.
      any =
          readers.finishOne(enumerator, 0)
              | readers.finishOne(enumerator, 0)
              | readers.finishOne(enumerator, 1);
    }
    assertSharedAndToldWhenEmpty(readers, 101, 60);
  }

  @Test
  void aReaderIsToldThereAreNoMoreOnlyWhenItHasNoneLeftOrHasBeenSilentTooLong() {
    Readers readers = new Readers(2);
    BacklogSplitEnumerator enumerator = new BacklogSplitEnumerator(readers, files(2 * BACKLOG));
    enumerator.start();
    assertThat(readers.scheduledPeriod).isEqualTo(BacklogSplitEnumerator.QUIET_READER_MILLIS);
    enumerator.handleSplitRequest(0, "localhost");
    enumerator.handleSplitRequest(1, "localhost");
    long lastRequest = System.currentTimeMillis();
    readers.finishOne(enumerator, 0);
    assertThat(readers.told).as("reader 0 still has files").isEmpty();

    // Reader 1 loses its files without asking again (a count that is too high): only silence gets
    // it told.
    readers.queues.get(1).clear();
    enumerator.releaseQuietReaders(lastRequest + BacklogSplitEnumerator.QUIET_READER_MILLIS / 2);
    assertThat(readers.told).isEmpty();
    enumerator.releaseQuietReaders(
        System.currentTimeMillis() + BacklogSplitEnumerator.QUIET_READER_MILLIS);
    assertThat(readers.told).containsExactlyInAnyOrder(0, 1);
    assertThat(readers.toldTooEarly).as("reader 0, told for its silence").hasSize(1);
  }

  @Test
  void aFailedReadersFilesGoBackAndTheSnapshotHoldsWhatIsNotHandedOut() {
    Readers readers = new Readers(2);
    int total = 3 * BACKLOG + 4;
    List<FileSourceSplit> all = files(total);
    BacklogSplitEnumerator enumerator = new BacklogSplitEnumerator(readers, all);
    enumerator.handleSplitRequest(0, "localhost");
    enumerator.handleSplitRequest(1, "localhost");
    readers.finishOne(enumerator, 1);
    assertThat(enumerator.snapshotState(1).getSplits()).hasSize(total - 2 * BACKLOG - 1);

    // Reader 1 fails: what it was given since the checkpoint comes back, and it starts over with a
    // first request.
    List<FileSourceSplit> lost = new ArrayList<>(readers.queues.get(1));
    readers.queues.get(1).clear();
    enumerator.addSplitsBack(lost, 1);
    assertThat(enumerator.snapshotState(2).getSplits())
        .hasSize(total - 2 * BACKLOG - 1 + lost.size());
    enumerator.handleSplitRequest(1, "localhost");
    assertThat(readers.queues.get(1)).hasSize(BACKLOG);

    // A restored enumerator hands out exactly what the snapshot held.
    Readers restoredReaders = new Readers(1);
    BacklogSplitEnumerator restored =
        new BacklogSplitEnumerator(restoredReaders, enumerator.snapshotState(3).getSplits());
    restored.handleSplitRequest(0, "localhost");
    while (restoredReaders.finishOne(restored, 0)) {
      // read everything
    }
    Set<String> everything = new HashSet<>(readers.allRead());
    everything.addAll(readers.queues.get(0).stream().map(FileSourceSplit::splitId).toList());
    everything.addAll(readers.queues.get(1).stream().map(FileSourceSplit::splitId).toList());
    everything.addAll(restoredReaders.allRead());
    assertThat(everything).hasSize(total);
  }

  @Test
  void everyRequestGetsAFileWhileAnyIsLeftAndAnUnregisteredReaderNone() {
    Readers readers = new Readers(1);
    BacklogSplitEnumerator enumerator = new BacklogSplitEnumerator(readers, files(3 * BACKLOG));
    // Requests beyond what the enumerator expects (a reader that finished several files at once)
    // still get one each.
    for (int i = 0; i < 2 * BACKLOG; i++) {
      enumerator.handleSplitRequest(0, "localhost");
    }
    assertThat(readers.queues.get(0)).hasSizeGreaterThanOrEqualTo(2 * BACKLOG);

    enumerator.handleSplitRequest(7, "localhost");
    assertThat(readers.queues).doesNotContainKey(7);
    assertThat(readers.told).isEmpty();
    while (readers.finishOne(enumerator, 0)) {
      // read everything
    }
    assertThat(readers.read.get(0)).hasSize(3 * BACKLOG).doesNotHaveDuplicates();
    assertThat(readers.told).containsExactly(0);
  }
}
