package dev.quarry.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
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
    assertThat(settings.jdbcUrl())
        .startsWith("jdbc:h2:file:" + dataDir.toAbsolutePath())
        .contains(";AUTO_SERVER=TRUE");
    assertThat(dataDir.resolve("quarry.mv.db")).exists();
    assertThat(store.progressAddress().jdbcUrl()).isEqualTo(settings.jdbcUrl());
    assertThat(settings.toString())
        .doesNotContain("password=" + settings.password() + ",")
        .contains("***");
  }

  /**
   * The server AUTO_SERVER starts for other processes answers on loopback and on no other address
   * of this machine (H2 alone would bind it to every interface and accept remote clients).
   */
  @Test
  void theEmbeddedServerListensOnLoopbackOnly() throws Exception {
    Properties lock = new Properties();
    try (var in = Files.newInputStream(dataDir.resolve("quarry.lock.db"))) {
      lock.load(in);
    }
    String server = lock.getProperty("server");
    String host = server.substring(0, server.lastIndexOf(':'));
    assertThat(InetAddress.getAllByName(host))
        .as("the address H2 announces to other processes: " + server)
        .allSatisfy(a -> assertThat(a.isLoopbackAddress()).isTrue());
    int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    try (Socket loopback = new Socket()) {
      loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      assertThat(loopback.isConnected()).isTrue();
    }
    List<InetAddress> others = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        Collections.list(nic.getInetAddresses()).stream()
            .filter(a -> !a.isLinkLocalAddress())
            .forEach(others::add);
      }
    }
    assumeThat(others).as("this machine has an address besides loopback").isNotEmpty();
    for (InetAddress other : others) {
      try (Socket remote = new Socket()) {
        assertThatThrownBy(() -> remote.connect(new InetSocketAddress(other, port), 2_000))
            .as(other.toString())
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  /**
   * What a TaskManager in another JVM does: reach the file the control plane holds, through
   * AUTO_SERVER.
   */
  @Test
  void anotherProcessReportsProgressWhileTheStoreIsOpen() throws Exception {
    JobRecord job =
        reach(
            job("remote", T0).build(),
            List.of(JobStatus.VALIDATING, JobStatus.SCHEDULED, JobStatus.IN_PROGRESS));
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
                store.progressAddress().passwordRef() == null
                    ? "-"
                    : store.progressAddress().passwordRef().reference(),
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
