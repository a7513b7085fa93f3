package dev.quarry.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU time this JVM spent on the side being measured: process CPU time (every thread, the JIT
 * and the GC included) less the threads of the services that stand in for AWS (the emulator's for
 * Bedrock Runtime, which both sides call alike, and the local S3 server's, whose work S3 does in
 * production, not Quarry: the job's S3 client stays counted), and less the thread that reads the
 * clock (the benchmark's own polling). Unlike wall time it does not depend on what else the machine
 * runs, so it compares the two sides of the ceiling even on a shared 2-core machine. The process's
 * time counts every thread that ever ran, ended ones too; a stand-in's thread is subtracted by what
 * it spent between readings, so one that ends (the S3 server's idle threads do) takes only its
 * last, idle, moments with it.
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

  /** The local S3 server's request threads (S3Proxy names its Jetty pool so). */
  static final String S3_SERVER_THREADS = "S3Proxy-";

  /** Threads whose time is not the side's: the services standing in for AWS. */
  private static final List<String> STAND_IN_THREADS = List.of(EMULATOR_THREADS, S3_SERVER_THREADS);

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
   * Every stand-in thread seen so far (told by its name, which its group loses), by id: its CPU
   * nanoseconds at the last reading that saw it alive.
   */
  private final Map<Long, Long> standInSeen = new HashMap<>();

  /** The stand-in threads' CPU nanoseconds up to the last reading, ended threads' included. */
  private long standInNanos;

  /**
   * One reading: the side's CPU seconds so far, and each live thread's CPU nanoseconds by id.
   *
   * @param seconds process CPU less the stand-in threads and the reading thread; only differences
   *     between readings of one clock on one thread mean anything
   */
  record Reading(double seconds, Map<Long, Long> threadNanos, Map<String, Long> jvmNanos) {}

  synchronized Reading read() {
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
        if (isStandIn(info.getThreadName())) {
          standInSeen.put(id, 0L);
        }
      }
      long nanos = THREADS.getThreadCpuTime(id);
      if (nanos < 0) {
        continue;
      }
      threads.put(id, nanos);
      Long seen = standInSeen.get(id);
      if (seen != null) {
        standInNanos += nanos - seen;
        standInSeen.put(id, nanos);
      }
    }
    Map<String, Long> jvm = jvmThreads.read();
    long process = PROCESS.getProcessCpuTime();
    return new Reading(
        (process - standInNanos - THREADS.getCurrentThreadCpuTime()) / 1e9, threads, jvm);
  }

  private static boolean isStandIn(String threadName) {
    return STAND_IN_THREADS.stream().anyMatch(threadName::startsWith);
  }

  /**
   * CPU milliseconds per 1,000 records by thread group between two readings, largest first, the
   * stand-ins' too, the GC's and the JIT's ({@link JvmThreadClock}) apart; the rest of the side's
   * time (threads that ended between the readings) as {@link #OTHER}.
   */
  Map<String, Double> byGroup(Reading from, Reading to, long records) {
    Map<String, Long> nanos = new HashMap<>();
    long sideThreads = 0;
    for (Map.Entry<Long, Long> e : to.threadNanos().entrySet()) {
      long spent = e.getValue() - from.threadNanos().getOrDefault(e.getKey(), 0L);
      String group = groups.get(e.getKey());
      nanos.merge(group, spent, Long::sum);
      if (!standInSeen.containsKey(e.getKey())) {
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
