package dev.quarry.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CPU time of the JVM's own threads (the GC's and the JIT compiler's), which {@code ThreadMXBean}
 * does not list, read from Linux's per-thread scheduler statistics; empty where there is no {@code
 * /proc}. It splits what the bench otherwise reports as one "other" figure.
 */
final class JvmThreadClock {
  static final String GC = "JVM: GC";
  static final String JIT = "JVM: JIT compiler";
  static final String VM = "JVM: VM thread";

  private static final Path TASKS = Path.of("/proc/self/task");

  /**
   * Each thread's group by its task id, "" for a Java thread: a thread's kernel name is set once,
   * and a job runs hundreds of threads, so each name is read once, not at every poll.
   */
  private final Map<String, String> groups = new HashMap<>();

  /** Nanoseconds on CPU so far of the JVM's GC, JIT and VM threads alive now, by group. */
  Map<String, Long> read() {
    Map<String, Long> nanos = new HashMap<>();
    if (!Files.isDirectory(TASKS)) {
      return nanos;
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          String id = task.getFileName().toString();
          String group = groups.get(id);
          if (group == null) {
            group =
                Objects.requireNonNullElse(
                    group(Files.readString(task.resolve("comm")).strip()), "");
            groups.put(id, group);
          }
          if (!group.isEmpty()) {
            // schedstat: time on CPU (ns), time waiting on a run queue (ns), time slices.
            String schedstat = Files.readString(task.resolve("schedstat")).strip();
            nanos.merge(group, Long.parseLong(schedstat.split(" ")[0]), Long::sum);
          }
        } catch (IOException | RuntimeException e) {
          // The thread ended between the listing and the read: it counts under "other".
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return nanos;
  }

  /**
   * The group of a thread by its (15-character) kernel name, or null for the JVM's Java threads.
   */
  static String group(String comm) {
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("ZGC")) {
      return GC;
    }
    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
      return JIT;
    }
    if (comm.equals("VM Thread")) {
      return VM;
    }
    return null;
  }
}
