package dev.quarry.job.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes the output files of one commit over a bounded pool of threads, and returns only once
 * every one of them is published (or has failed).
 *
 * <p>Each publish is one to three S3 requests of 50-100 ms on AWS; one after the other, the
 * thousands of files of a sharded input would take minutes. Threads are started on demand and end
 * when idle.
 */
final class ParallelPublisher implements AutoCloseable {
  /** Publishes one object. */
  @FunctionalInterface
  interface Publish {
    void publish(OutputFileCommittable c) throws IOException;
  }

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Publish publish;
  private final ThreadPoolExecutor pool;

  ParallelPublisher(int threads, Publish publish) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.publish = publish;
    String prefix = "quarry-publish-" + POOLS.incrementAndGet() + "-";
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, prefix + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.pool =
        new ThreadPoolExecutor(
            threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * Publishes every committable and returns when all are published. When some fail, it still waits
   * for the others to end, then throws the first failure.
   */
  void publishAll(List<OutputFileCommittable> committables)
      throws IOException, InterruptedException {
    if (committables.size() == 1) {
      publish.publish(committables.get(0));
      return;
    }
    List<Future<?>> running = new ArrayList<>(committables.size());
    for (OutputFileCommittable c : committables) {
      running.add(
          pool.submit(
              () -> {
                publish.publish(c);
                return null;
              }));
    }
    Throwable first = null;
    try {
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause();
          } else {
            first.addSuppressed(e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      running.forEach(f -> f.cancel(true));
      throw e;
    }
    if (first instanceof IOException io) {
      throw io;
    }
    if (first instanceof RuntimeException re) {
      throw re;
    }
    if (first instanceof Error err) {
      throw err;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
