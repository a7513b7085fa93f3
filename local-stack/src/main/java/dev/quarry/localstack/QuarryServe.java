package dev.quarry.localstack;

import java.util.concurrent.CountDownLatch;

/** {@code scripts/quarry serve}: runs the local stack until Ctrl-C. */
public final class QuarryServe {
  private QuarryServe() {}

  public static void main(String[] args) throws Exception {
    ServeOptions options;
    try {
      options = ServeOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LocalStack stack = LocalStack.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping");
                  stack.close();
                  stopped.countDown();
                },
                "quarry-shutdown"));
    stack.printEndpoints(System.out);
    stopped.await();
  }
}
