package dev.quarry.job.stop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.spec.JobSpec;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopMarkerTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void requestIsRequestedClear() throws IOException {
    String folder = dir.toUri().toString();
    assertThat(folder).endsWith("/");
    StopMarker marker = new StopMarker(folder);
    java.nio.file.Path file = dir.resolve("_quarry_stop");

    assertThat(marker.isRequested()).isFalse();
    marker.request();
    assertThat(marker.isRequested()).isTrue();
    assertThat(file).exists().isEmptyFile();
    marker.request(); // twice is fine
    assertThat(marker.isRequested()).isTrue();
    marker.clear();
    assertThat(marker.isRequested()).isFalse();
    assertThat(file).doesNotExist();
    marker.clear(); // clearing nothing is fine
    assertThat(marker.isRequested()).isFalse();
  }

  @Test
  void folderWithoutTrailingSlash() throws IOException {
    String folder = dir.toUri().toString();
    StopMarker marker = new StopMarker(folder.substring(0, folder.length() - 1));
    marker.request();
    assertThat(dir.resolve(StopMarker.NAME)).exists();
    assertThat(new StopMarker(folder).isRequested()).isTrue();
  }

  @Test
  void markerOfAJobLivesInItsOutputFolder() throws IOException {
    JobSpec spec =
        JobSpec.builder()
            .jobId("abc123def456")
            .inputUri("file:/in/")
            .outputUri(dir.toUri().toString())
            .modelId("m")
            .build();
    StopMarker marker = StopMarker.of(spec);
    assertThat(marker.isRequested()).isFalse();
    marker.request(); // creates the job folder if needed
    assertThat(dir.resolve("abc123def456").resolve("_quarry_stop")).exists();
    assertThat(marker.isRequested()).isTrue();
    // Another job's marker is not this job's.
    StopMarker other = StopMarker.of(spec.toBuilder().jobId("zzz123def456").build());
    assertThat(other.isRequested()).isFalse();
  }

  @Test
  void aFileWrittenByHandCountsAsARequest() throws IOException {
    Files.writeString(dir.resolve("_quarry_stop"), "please stop");
    assertThat(new StopMarker(dir.toUri().toString()).isRequested()).isTrue();
  }
}
