package dev.quarry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, from Linux's {@code /proc/self/status}. */
final class ResidentMemory {
  private ResidentMemory() {}

  /** The peak resident set size in bytes ({@code VmHWM}), or -1 where the kernel does not tell. */
  static long peakBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
