package dev.quarry.job.stop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.record.BatchRecord;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopFilterTest {
  @TempDir java.nio.file.Path dir;

  private static BatchRecord record() {
    return BatchRecord.record("file:/in/a.jsonl", 1, "r", "{}");
  }

  @Test
  void passesRecordsUntilAStopIsRequestedThenDropsEverything() throws IOException {
    StopMarker marker = new StopMarker(dir.toUri().toString());
    StopFilter filter = new StopFilter(marker, 0);
    filter.open(null);
    assertThat(filter.filter(record())).isTrue();
    assertThat(filter.filter(record())).isTrue();
    marker.request();
    assertThat(filter.filter(record())).isFalse();
    marker.clear();
    assertThat(filter.filter(record())).as("a stop is final").isFalse();
    assertThat(filter.filter(BatchRecord.endOfFile("file:/in/a.jsonl", 3))).isFalse();
  }

  @Test
  void looksForTheMarkerAtMostOncePerInterval() throws IOException {
    StopMarker marker = new StopMarker(dir.toUri().toString());
    StopFilter filter = new StopFilter(marker, 3_600_000);
    filter.open(null);
    assertThat(filter.filter(record())).isTrue(); // looked: no marker
    marker.request();
    assertThat(filter.filter(record())).as("not looked again within the hour").isTrue();
    filter.open(null); // a restarted task looks at once
    assertThat(filter.filter(record())).isFalse();
  }
}
