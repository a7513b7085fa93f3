package dev.quarry.locals3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3-compatible endpoint (S3Proxy) served in-process, over a local folder or in memory.
 *
 * <p>With a data folder, every bucket is a sub-folder and every object a file, so the local stack
 * keeps its inputs and outputs across restarts and a user can look at them directly.
 */
public final class LocalS3Server implements AutoCloseable {

  private final LocalS3Config config;
  private final BlobStore blobStore;
  private final S3Proxy proxy;

  private LocalS3Server(LocalS3Config config) {
    this.config = config;
    this.blobStore = openBlobStore(config);
    this.proxy =
        S3Proxy.builder()
            .blobStore(blobStore)
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, config.accessKey(), config.secretKey())
            .endpoint(URI.create("http://" + config.host() + ":" + config.port()))
            // Flink's S3 writer uploads parts of at least 5 MB; keep S3Proxy from rejecting large
            // puts.
            .maxSinglePartObjectSize(5L * 1024 * 1024 * 1024)
            .build();
  }

  /** Starts a server with the given configuration and waits until it accepts requests. */
  public static LocalS3Server start(LocalS3Config config) throws LocalS3Exception {
    LocalS3Server server = new LocalS3Server(config);
    server.startAndWait();
    return server;
  }

  private static BlobStore openBlobStore(LocalS3Config config) {
    Path dataDir = config.dataDir();
    if (dataDir == null) {
      return new TransientNio2BlobStore();
    }
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new LocalS3Exception("Cannot create the S3 data folder " + dataDir, e);
    }
    return new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString());
  }

  private void startAndWait() {
    try {
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new LocalS3Exception(
              "S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
        }
        Thread.sleep(10);
      }
      for (String bucket : config.buckets()) {
        createBucket(bucket);
      }
    } catch (LocalS3Exception e) {
      closeQuietly();
      throw e;
    } catch (Exception e) {
      closeQuietly();
      throw new LocalS3Exception(
          "S3Proxy failed to start on " + config.host() + ":" + config.port(), e);
    }
  }

  /** Creates a bucket unless it already exists. */
  public void createBucket(String name) {
    Objects.requireNonNull(name, "name");
    boolean exists = blobStore.list().buckets().stream().anyMatch(b -> name.equals(b.name()));
    if (!exists) {
      blobStore.createContainer(name);
    }
  }

  /** Names of the buckets that exist now. */
  public List<String> buckets() {
    return blobStore.list().buckets().stream()
        .map(software.amazon.awssdk.services.s3.model.Bucket::name)
        .sorted()
        .toList();
  }

  /** The HTTP endpoint, with the port actually bound. */
  public URI endpoint() {
    return URI.create("http://" + config.host() + ":" + port());
  }

  /** The TCP port actually bound (useful when configured with port 0). */
  public int port() {
    return proxy.getPort();
  }

  /** The configuration this server was started with. */
  public LocalS3Config config() {
    return config;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new LocalS3Exception("S3Proxy failed to stop", e);
    }
  }

  private void closeQuietly() {
    try {
      proxy.stop();
    } catch (Exception ignored) {
      // Start already failed; the original error is the one worth reporting.
    }
  }
}
