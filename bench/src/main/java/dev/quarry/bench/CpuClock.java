package dev.quarry.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU time this JVM spent on the side being measured: process CPU time (every thread, the JIT
 * and the GC included) less the emulator's threads, which stand in for the model both sides call
 * alike, and less the thread that reads the clock (the benchmark's own polling). Unlike wall time
 * it does not depend on what else the machine runs, so it compares the two sides of the ceiling
 * even on a shared 2-core machine. The emulator's threads live as long as the stack, so their time
 * is exact; the process's counts every thread that ever ran, ended ones too.
 *
 * <p>Each reading also keeps every live thread's CPU time, so that two readings tell where the time
 * went by thread group (threads that ended between them are missing there, not in the total).
 */
final class CpuClock {
  /**
   * The emulator's event-loop threads ({@code EmulatorServer} names its Netty group so), where it
   * does all its work.
   */
  static final String EMULATOR_THREADS = "quarry-emulator-";

  /** What no live thread accounts for: threads that ended between the readings. */
  static final String OTHER = "other (ended threads)";

  /** A job's own threads carry its 12-character id: grouped without it. */
  private static final Pattern JOB_THREAD =
      Pattern.compile("^(quarry-[a-z-]+?)-[0-9a-z]{12}-\\d+$");

  /** A Flink task's thread ends with its subtask and attempt: {@code (1/2)#0}. */
  private static final Pattern FLINK_TASK = Pattern.compile(" \\(\\d+/\\d+\\)#\\d+$");

  private static final OperatingSystemMXBean PROCESS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Every thread seen so far, by id: its group (a thread's name is set at its start). */
  private final Map<Long, String> groups = new HashMap<>();

  private final JvmThreadClock jvmThreads = new JvmThreadClock();

  /**
   * One reading: the side's CPU seconds so far, and each live thread's CPU nanoseconds by id.
   *
   * @param seconds process CPU less the emulator's threads and the reading thread; only differences
   *     between readings on one thread mean anything
   */
  record Reading(double seconds, Map<Long, Long> threadNanos, Map<String, Long> jvmNanos) {}

  Reading read() {
    long emulator = 0;
    Map<Long, Long> threads = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      String group = groups.get(id);
      if (group == null) {
        ThreadInfo info = THREADS.getThreadInfo(id);
        if (info == null) {
          continue; // ended meanwhile
        }
        group = group(info.getThreadName());
        groups.put(id, group);
      }
      long nanos = THREADS.getThreadCpuTime(id);
      if (nanos < 0) {
        continue;
      }
      threads.put(id, nanos);
      if (group.startsWith(EMULATOR_THREADS)) {
        emulator += nanos;
      }
    }
    Map<String, Long> jvm = jvmThreads.read();
    long process = PROCESS.getProcessCpuTime();
    return new Reading(
        (process - emulator - THREADS.getCurrentThreadCpuTime()) / 1e9, threads, jvm);
  }

  /**
   * CPU milliseconds per 1,000 records by thread group between two readings, largest first, the
   * emulator's too, the GC's and the JIT's ({@link JvmThreadClock}) apart; the rest of the side's
   * time (threads that ended between the readings) as {@link #OTHER}.
   */
  Map<String, Double> byGroup(Reading from, Reading to, long records) {
    Map<String, Long> nanos = new HashMap<>();
    long sideThreads = 0;
    for (Map.Entry<Long, Long> e : to.threadNanos().entrySet()) {
      long spent = e.getValue() - from.threadNanos().getOrDefault(e.getKey(), 0L);
      String group = groups.get(e.getKey());
      nanos.merge(group, spent, Long::sum);
      if (!group.startsWith(EMULATOR_THREADS)) {
        sideThreads += spent;
      }
    }
    for (Map.Entry<String, Long> e : to.jvmNanos().entrySet()) {
      long spent = e.getValue() - from.jvmNanos().getOrDefault(e.getKey(), 0L);
      nanos.merge(e.getKey(), spent, Long::sum);
      sideThreads += spent;
    }
    long other = Math.round((to.seconds() - from.seconds()) * 1e9) - sideThreads;
    nanos.merge(OTHER, Math.max(0, other), Long::sum);
    Map<String, Double> out = new LinkedHashMap<>();
    nanos.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 10.0 / 1e3 / records) / 10.0));
    return out;
  }

  /** A thread's group: its name without the job id and numbers. */
  static String group(String threadName) {
    Matcher job = JOB_THREAD.matcher(threadName);
    if (job.matches()) {
      return job.group(1);
    }
    String name =
        FLINK_TASK
            .matcher(threadName)
            .replaceAll("")
            .replaceAll("s3://\\S+", "s3://…")
            .replaceAll("\\d+", "N");
    return name.length() > 60 ? name.substring(0, 60) : name;
  }
}
