package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuClockTest {
  @Test
  void threadsAreGroupedWithoutJobIdsSubtasksAndNumbers() {
    assertThat(CpuClock.group("quarry-invoke-abc123def456-1")).isEqualTo("quarry-invoke");
    assertThat(CpuClock.group("stop when asked -> invoke m (2/2)#0"))
        .isEqualTo("stop when asked -> invoke m");
    assertThat(CpuClock.group("aws-java-sdk-NettyEventLoop-3-2"))
        .isEqualTo("aws-java-sdk-NettyEventLoop-N-N");
    assertThat(CpuClock.group("quarry-emulator-4-1")).startsWith(CpuClock.EMULATOR_THREADS);
  }

  /**
   * A thread that burns 300 ms of CPU, counts {@code spun} down, then waits on {@code gate} so that
   * it is still alive when read.
   */
  private static Thread burner(String name, CountDownLatch spun, Object gate) {
    return new Thread(
        () -> {
          var bean = java.lang.management.ManagementFactory.getThreadMXBean();
          long until = bean.getCurrentThreadCpuTime() + 300_000_000L;
          while (bean.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
          }
          spun.countDown();
          synchronized (gate) {
            try {
              gate.wait(5_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        },
        name);
  }

  /**
   * The JIT's and the GC's seconds between two readings: they run when they will (a fresh test JVM
   * compiles a lot), so the tests leave them out.
   */
  private static double jvmSeconds(CpuClock.Reading before, CpuClock.Reading after) {
    long nanos = 0;
    for (Map.Entry<String, Long> e : after.jvmNanos().entrySet()) {
      nanos += e.getValue() - before.jvmNanos().getOrDefault(e.getKey(), 0L);
    }
    return nanos / 1e9;
  }

  @Test
  void theSidesTimeLeavesOutTheStandInsThreadsAndCountsTheOthersByGroup() throws Exception {
    CpuClock clock = new CpuClock();
    CpuClock.Reading before = clock.read();
    Object gate = new Object();
    CountDownLatch spun = new CountDownLatch(3);
    Thread emulator = burner("quarry-emulator-8-1", spun, gate);
    Thread s3 = burner("S3Proxy-Jetty-21", spun, gate);
    Thread side = burner("quarry-invoke-abc123def456-0", spun, gate);
    emulator.start();
    s3.start();
    side.start();
    assertThat(spun.await(60, TimeUnit.SECONDS)).isTrue();
    CpuClock.Reading after = clock.read();
    synchronized (gate) {
      gate.notifyAll();
    }
    emulator.join();
    s3.join();
    side.join();

    double sideSeconds = after.seconds() - before.seconds() - jvmSeconds(before, after);
    assertThat(sideSeconds).as("the side's 300 ms, not the stand-ins'").isBetween(0.28, 0.5);
    Map<String, Double> groups = clock.byGroup(before, after, 1_000);
    assertThat(groups.get("quarry-invoke")).as("ms per 1,000 records").isBetween(290.0, 320.0);
    assertThat(groups.get("quarry-emulator-N-N")).isBetween(290.0, 320.0);
    assertThat(groups.get("SNProxy-Jetty-N")).isBetween(290.0, 320.0);
  }

  @Test
  void aStandInThreadThatEndsBetweenReadingsLeavesTheSidesTimeAlone() throws Exception {
    CpuClock clock = new CpuClock();
    Object gate = new Object();
    CountDownLatch spun = new CountDownLatch(1);
    Thread s3 = burner("S3Proxy-Jetty-22", spun, gate);
    s3.start();
    assertThat(spun.await(60, TimeUnit.SECONDS)).isTrue();
    CpuClock.Reading before = clock.read();
    synchronized (gate) {
      gate.notifyAll();
    }
    s3.join();
    CpuClock.Reading after = clock.read();

    // Subtracting totals of live threads would hand the ended thread's 300 ms to the side here.
    assertThat(after.seconds() - before.seconds() - jvmSeconds(before, after))
        .as("the side spent next to nothing between the readings")
        .isLessThan(0.1);
  }

  @Test
  void theJvmsOwnThreadsAreToldApartByTheirKernelNames() {
    assertThat(JvmThreadClock.group("GC Thread#1")).isEqualTo(JvmThreadClock.GC);
    assertThat(JvmThreadClock.group("G1 Refine#0")).isEqualTo(JvmThreadClock.GC);
    assertThat(JvmThreadClock.group("C2 CompilerThre")).isEqualTo(JvmThreadClock.JIT);
    assertThat(JvmThreadClock.group("VM Thread")).isEqualTo(JvmThreadClock.VM);
    assertThat(JvmThreadClock.group("quarry-invoke-a")).isNull();
  }

  @Test
  void theJitsTimeIsReadWhereLinuxSaysIt() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task")));
    // By now this JVM has compiled something: its compiler threads have run.
    assertThat(new JvmThreadClock().read().get(JvmThreadClock.JIT)).isPositive();
  }
}
