package dev.quarry.job.testing;

import dev.quarry.job.io.S3Patience;
import dev.quarry.job.io.S3Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real server that breaks every connection once the client has sent a
 * given number of bytes (a request whose body is cut off half way, as when a network or a process
 * dies during an upload), or once the connection is a given age (a server that drops a connection
 * whose response the client is slow to read, as S3Proxy's Jetty does after 30 s idle).
 */
public final class CuttingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final URI target;
  private final long cutAfterBytes;
  private final long cutResponseAfterBytes;
  private final long maxAgeMillis;
  private final AtomicInteger connections = new AtomicInteger();

  /**
   * @param target the real server, e.g. S3Proxy's endpoint
   * @param cutAfterBytes bytes of each connection's request forwarded before it is broken
   */
  public CuttingProxy(URI target, int cutAfterBytes) throws IOException {
    this(target, cutAfterBytes, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /** A proxy that breaks every connection {@code maxAgeMillis} after it opens. */
  public static CuttingProxy droppingAfter(URI target, long maxAgeMillis) throws IOException {
    return new CuttingProxy(target, Long.MAX_VALUE, Long.MAX_VALUE, maxAgeMillis);
  }

  /** A proxy that breaks every connection once the server has sent {@code bytes} of its answer. */
  public static CuttingProxy cuttingAnswersAfter(URI target, long bytes) throws IOException {
    return new CuttingProxy(target, Long.MAX_VALUE, bytes, Long.MAX_VALUE);
  }

  private CuttingProxy(
      URI target, long cutAfterBytes, long cutResponseAfterBytes, long maxAgeMillis)
      throws IOException {
    this.target = target;
    this.cutAfterBytes = cutAfterBytes;
    this.cutResponseAfterBytes = cutResponseAfterBytes;
    this.maxAgeMillis = maxAgeMillis;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "cutting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Where clients connect. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** {@code real}'s keys and path style, sent through this proxy, with {@code patience}. */
  public S3Settings settingsThrough(S3Settings real, S3Patience patience) {
    return new S3Settings(
        endpoint().toString(), true, real.accessKey(), real.secretKey(), patience);
  }

  /** Connections accepted (and broken) so far. */
  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(target.getHost(), target.getPort()), 2_000);
        start(() -> forward(client, upstream, cutAfterBytes));
        start(() -> forward(upstream, client, cutResponseAfterBytes));
        if (maxAgeMillis != Long.MAX_VALUE) {
          start(() -> closeAfter(maxAgeMillis, client, upstream));
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r, "cutting-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeAfter(long millis, Socket client, Socket upstream) {
    try (client;
        upstream) {
      Thread.sleep(millis);
    } catch (InterruptedException | IOException e) {
      // closing is all this does
    }
  }

  /** Copies up to {@code limit} bytes, then closes both sockets (the cut). */
  private static void forward(Socket from, Socket to, long limit) {
    byte[] buffer = new byte[1024];
    long sent = 0;
    try (from;
        to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (sent < limit) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - sent));
        if (n < 0) {
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
        sent += n;
      }
    } catch (IOException e) {
      // the other direction closed the sockets
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
