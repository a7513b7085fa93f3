package dev.quarry.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded default: an H2 file database. */
class H2JobStoreTest extends JobStoreContractTest {
  @TempDir Path dataDir;

  @Override
  protected StoreSettings newDatabase() {
    return StoreSettings.embedded(dataDir);
  }

  @Test
  void theEmbeddedDatabaseIsAFileUnderTheDataDirectory() {
    assertThat(settings.jdbcUrl()).startsWith("jdbc:h2:file:" + dataDir.toAbsolutePath()).contains(";AUTO_SERVER=TRUE");
    assertThat(dataDir.resolve("quarry.mv.db")).exists();
    assertThat(store.progressAddress().jdbcUrl()).isEqualTo(settings.jdbcUrl());
    assertThat(settings.toString()).doesNotContain("password=" + settings.password() + ",").contains("***");
  }

  /** What a TaskManager in another JVM does: reach the file the control plane holds, through AUTO_SERVER. */
  @Test
  void anotherProcessReportsProgressWhileTheStoreIsOpen() throws Exception {
    JobRecord job =
        reach(job("remote", T0).build(), List.of(JobStatus.VALIDATING, JobStatus.SCHEDULED, JobStatus.IN_PROGRESS));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile(dataDir.getParent(), "child", ".log");

    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ProgressReportingProcess.class.getName(),
                store.progressAddress().jdbcUrl(),
                store.progressAddress().user(),
                store.progressAddress().password(),
                job.jobId())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).as(Files.readString(log)).isZero();
    JobRecord seen = store.find(job.jobId()).orElseThrow();
    assertThat(seen.counts()).as(Files.readString(log)).isNotNull();
    assertThat(seen.counts().processed()).isEqualTo(ProgressReportingProcess.PROCESSED);
    assertThat(seen.counts().succeeded()).isEqualTo(ProgressReportingProcess.PROCESSED);
    Files.deleteIfExists(log);
  }
}
