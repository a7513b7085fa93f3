package dev.quarry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a benchmark ran on, for the report: figures mean little without it. */
final class MachineInfo {
  private MachineInfo() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", procValue("/proc/cpuinfo", "model name"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    String memKb = procValue("/proc/meminfo", "MemTotal");
    m.put(
        "memory_gib",
        memKb.isEmpty()
            ? null
            : Math.round(Long.parseLong(memKb.replaceAll("[^0-9]", "")) / 1048576.0 * 10) / 10.0);
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("bench_heap_max_mib", Runtime.getRuntime().maxMemory() >> 20);
    return m;
  }

  /** One line as "cores, cpu, memory". */
  static String summary(Map<String, Object> m) {
    return m.get("cores")
        + " cores ("
        + m.get("cpu")
        + "), "
        + m.get("memory_gib")
        + " GiB, "
        + m.get("java");
  }

  private static String procValue(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "";
    }
    return "";
  }
}
