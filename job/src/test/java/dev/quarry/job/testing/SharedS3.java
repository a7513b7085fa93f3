package dev.quarry.job.testing;

import dev.quarry.job.io.FileSystemSetup;
import dev.quarry.job.io.S3Settings;
import dev.quarry.locals3.LocalS3Config;
import dev.quarry.locals3.LocalS3Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One in-process S3 (S3Proxy) per test JVM, with Flink's file systems initialized against it
 * through the flink-s3-fs-hadoop plugin the build puts in {@code target/plugins}.
 *
 * <p>Shared because {@code FileSystem.initialize} is JVM-global: one S3 endpoint per process.
 */
public final class SharedS3 {
  private static SharedS3 instance;

  private final LocalS3Server server;
  private final S3Client client;

  private SharedS3() {
    server = LocalS3Server.start(LocalS3Config.builder().build());
    String plugins = System.getProperty("quarry.flink.plugins-dir");
    if (plugins == null) {
      throw new IllegalStateException(
          "quarry.flink.plugins-dir is not set; run the tests through Maven");
    }
    FileSystemSetup.initialize(Path.of(plugins), settings());
    client =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        server.config().accessKey(), server.config().secretKey())))
            .build();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  client.close();
                  server.close();
                }));
  }

  /** The JVM's shared S3, started on first use. */
  public static synchronized SharedS3 get() {
    if (instance == null) {
      instance = new SharedS3();
    }
    return instance;
  }

  public S3Settings settings() {
    return new S3Settings(
        server.endpoint().toString(),
        true,
        server.config().accessKey(),
        server.config().secretKey());
  }

  public LocalS3Server server() {
    return server;
  }

  public S3Client client() {
    return client;
  }

  public void createBucket(String bucket) {
    server.createBucket(bucket);
  }

  public void put(String bucket, String key, byte[] content) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  public String getString(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  /** Every key under {@code prefix}, sorted. */
  public List<String> keys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .forEach(keys::add);
    keys.sort(String::compareTo);
    return keys;
  }
}
