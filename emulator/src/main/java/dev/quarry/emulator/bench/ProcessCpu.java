package dev.quarry.emulator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** CPU time used by this JVM so far, where the platform reports it. */
final class ProcessCpu {
  private ProcessCpu() {}

  /** Nanoseconds of CPU used by the process, or -1 if the JVM does not expose it. */
  static long nanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }
}
