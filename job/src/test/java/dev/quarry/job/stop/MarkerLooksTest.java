package dev.quarry.job.stop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkerLooksTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void aRecentLookAnswersForEverySubtaskAndAnOlderOneIsLookedAgain() throws IOException {
    StopMarker marker = new StopMarker(dir.toUri().toString());
    assertThat(MarkerLooks.requested(marker, 0)).isFalse();
    marker.request();
    assertThat(MarkerLooks.requested(new StopMarker(dir.toUri().toString()), 3_600_000))
        .as("the look of a moment ago, taken for the same marker")
        .isFalse();
    assertThat(MarkerLooks.requested(marker, 0)).as("looked again").isTrue();
    assertThat(MarkerLooks.requested(marker, 3_600_000)).isTrue();
  }

  @Test
  void markersOfOtherJobsAreLookedAtOnTheirOwn() throws IOException {
    StopMarker stopped = new StopMarker(dir.resolve("a").toUri().toString());
    StopMarker running = new StopMarker(dir.resolve("b").toUri().toString());
    stopped.request();
    assertThat(MarkerLooks.requested(stopped, 3_600_000)).isTrue();
    assertThat(MarkerLooks.requested(running, 3_600_000)).isFalse();
  }

  @Test
  void aStopFilterOpenedAfterAnotherSubtaskLookedStillLooksAtOnce() throws IOException {
    StopMarker marker = new StopMarker(dir.toUri().toString());
    StopFilter first = new StopFilter(marker, 3_600_000);
    first.open(null);
    assertThat(first.filter(dev.quarry.job.record.BatchRecord.record("f", 1, "r", "{}"))).isTrue();
    marker.request();
    StopFilter restarted = new StopFilter(marker, 3_600_000);
    restarted.open(null);
    assertThat(restarted.filter(dev.quarry.job.record.BatchRecord.record("f", 2, "s", "{}")))
        .isFalse();
  }
}
