package dev.quarry.job.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.fs.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Whole small objects in one request each, through the AWS SDK's S3 client: a GET to read an input
 * file, a PUT to publish an output file.
 *
 * <p>Through Flink's S3 file system (S3A) the same costs more: an open is a HEAD before the GET,
 * and a create is a LIST probe before the PUT, with S3A's stream buffering on the way. For a
 * sharded input of thousands of files of a few KiB those probes were most of the S3 work. S3A stays
 * for what needs a file system: listing, large files and streamed (multipart, recoverable) outputs.
 *
 * <p>The client reaches S3 exactly as S3A does ({@link FileSystemS3Settings}); one client per
 * settings per JVM, shared by every reader and publisher and never closed (they live as long as the
 * TaskManager).
 */
public final class S3Objects {
  /** Schemes of Flink's S3 file systems. */
  private static final Set<String> S3_SCHEMES = Set.of("s3", "s3a");

  private static final Map<S3Settings, S3Objects> SHARED = new ConcurrentHashMap<>();

  private final S3Client client;

  /** Objects reached through {@code client}; the shared instances come from {@link #of}. */
  S3Objects(S3Client client) {
    this.client = client;
  }

  /**
   * The JVM's S3 objects for {@code path}'s bucket, reached as Flink's S3 file system reaches it.
   */
  public static S3Objects of(Path path) throws IOException {
    return SHARED.computeIfAbsent(
        FileSystemS3Settings.of(path), s3 -> new S3Objects(newClient(s3)));
  }

  /** Whether {@code path} is on S3, where {@link #get} and {@link #put} apply. */
  public static boolean isS3(Path path) {
    String scheme = path.toUri().getScheme();
    return scheme != null && S3_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  /**
   * The object's bytes from {@code offset} to its end, in one GET.
   *
   * @throws java.io.FileNotFoundException when there is no such object
   */
  public byte[] get(Path path, long offset) throws IOException {
    return fetch(path, offset > 0 ? "bytes=" + offset + "-" : null, null).bytes();
  }

  /**
   * Bytes {@code from} (inclusive) to {@code to} (exclusive) of an object, as one version of it.
   *
   * @param ifMatch the ETag the object must still have, or {@code null} for whatever it is now
   * @return the bytes (fewer when the object is shorter) and the ETag of the version they are from
   * @throws java.io.FileNotFoundException when there is no such object
   * @throws IOException naming the object when it is no longer the version {@code ifMatch} names
   */
  ObjectRange getRange(Path path, long from, long to, String ifMatch) throws IOException {
    if (from < 0 || to <= from) {
      throw new IllegalArgumentException("empty or negative range " + from + "-" + to);
    }
    try {
      return fetch(path, "bytes=" + from + "-" + (to - 1), ifMatch);
    } catch (RangeNotSatisfiable e) {
      return new ObjectRange(new byte[0], ifMatch); // the object ends before from
    }
  }

  /** Thrown inside {@link #fetch} when the object ends before the range starts (HTTP 416). */
  private static final class RangeNotSatisfiable extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** Thrown inside {@link #fetch} when a body ended before its length. */
  private static final class IncompleteBody extends IOException {
    private static final long serialVersionUID = 1L;

    IncompleteBody(long expected, int got) {
      super("expected " + expected + " bytes, got " + got);
    }
  }

  /**
   * One GET, read whole. A connection dropped half way through the body can end the SDK's stream
   * early without an error (seen through a proxy that drops it): the bytes are checked against the
   * response's length, and a short body is asked for once more, then fails the read.
   */
  private ObjectRange fetch(Path path, String range, String ifMatch) throws IOException {
    S3Location at = S3Location.of(path);
    for (int attempt = 1; ; attempt++) {
      try {
        return request(
            "read",
            "reading",
            path,
            () -> {
              try {
                var response =
                    client.getObjectAsBytes(
                        b -> b.bucket(at.bucket()).key(at.key()).range(range).ifMatch(ifMatch));
                byte[] bytes = response.asByteArrayUnsafe();
                Long length = response.response().contentLength();
                if (length != null && length != bytes.length) {
                  throw new IncompleteBody(length, bytes.length);
                }
                return new ObjectRange(bytes, response.response().eTag());
              } catch (NoSuchKeyException e) {
                throw new java.io.FileNotFoundException("No object " + path);
              } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                  throw new IOException(
                      "Input object " + path + " changed while it was read (it was replaced)", e);
                }
                if (e.statusCode() == 416) {
                  throw new RangeNotSatisfiable();
                }
                throw e;
              }
            });
      } catch (IncompleteBody e) {
        if (attempt == 2) {
          throw new IOException(
              "Incomplete read of " + path + ": " + e.getMessage() + " (connection dropped)", e);
        }
      }
    }
  }

  /** Part of an object and the ETag of the version it came from. */
  record ObjectRange(byte[] bytes, String eTag) {}

  /**
   * Writes {@code contents} as the object at {@code path} in one PUT: S3 shows an object only once
   * its upload is complete, so readers see all of it or nothing, and a repeated PUT of the same
   * bytes gives the same object.
   */
  public void put(Path path, byte[] contents) throws IOException {
    S3Location at = S3Location.of(path);
    request(
        "write",
        "writing",
        path,
        () ->
            client.putObject(
                b -> b.bucket(at.bucket()).key(at.key()), RequestBody.fromBytes(contents)));
  }

  /**
   * The objects directly in {@code folder} whose names start with {@code namePrefix}, in key order.
   * S3 answers from the keys under that prefix alone, so asking for {@code _} in a folder of 10,000
   * outputs costs one request, not one per 1,000 keys.
   */
  public List<Path> namesStartingWith(Path folder, String namePrefix) throws IOException {
    String bucket = folder.toUri().getAuthority();
    String dir = S3Location.folderKey(folder);
    return request(
        "list",
        "listing",
        folder,
        () -> {
          List<Path> found = new ArrayList<>();
          for (ListObjectsV2Response page :
              client.listObjectsV2Paginator(
                  // the delimiter keeps subfolders (common prefixes) out: only this folder's
                  // objects
                  b -> b.bucket(bucket).prefix(dir + namePrefix).delimiter("/"))) {
            for (S3Object object : page.contents()) {
              found.add(new Path(folder, object.key().substring(dir.length())));
            }
          }
          return found;
        });
  }

  /** Deletes the object at {@code path}; deleting one that is not there is no error, as on S3. */
  public void delete(Path path) throws IOException {
    S3Location at = S3Location.of(path);
    request(
        "delete",
        "deleting",
        path,
        () -> client.deleteObject(b -> b.bucket(at.bucket()).key(at.key())));
  }

  /** One request to S3, as the SDK's client sends it. */
  @FunctionalInterface
  private interface S3Request<T> {
    T send() throws IOException;
  }

  /**
   * Sends {@code request}, turning the SDK's failures into the I/O exceptions Flink's file systems
   * throw: "Cannot {verb} {path}: …", or "Interrupted {gerund} {path}" when the thread was
   * interrupted.
   */
  private static <T> T request(String verb, String gerund, Path path, S3Request<T> request)
      throws IOException {
    try {
      return request.send();
    } catch (AbortedException e) {
      throw new InterruptedIOException("Interrupted " + gerund + " " + path);
    } catch (SdkException e) {
      throw new IOException("Cannot " + verb + " " + path + ": " + e.getMessage(), e);
    }
  }

  static S3Client newClient(S3Settings s3) {
    S3Patience patience = s3.patience();
    int attempts = Math.max(1, (patience.requestRetries() + 1) * (patience.operationRetries() + 1));
    var builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofMillis(patience.connectTimeoutMillis())))
            // Over plain HTTP (S3Proxy, MinIO) the SDK signs an upload chunk by chunk, each chunk
            // a signature of its own on both ends: for a body of a few KiB one hash of the whole
            // costs far less. Over HTTPS (AWS) the body is not signed either way.
            .serviceConfiguration(
                S3Configuration.builder()
                    .pathStyleAccessEnabled(s3.pathStyleAccess())
                    .chunkedEncodingEnabled(false)
                    .build())
            .credentialsProvider(credentials(s3))
            // CRC32 of every body and response costs CPU for nothing S3 requires of a PUT
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(attempts)
                            .build()));
    if (s3.endpoint() != null) {
      // S3A's region for an endpoint of its own; S3Proxy and MinIO accept any region
      builder.endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1);
    } else {
      builder.region(defaultRegion()).crossRegionAccessEnabled(true);
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings s3) {
    if (s3.accessKey() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
  }

  private static Region defaultRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkException e) {
      return Region.US_EAST_1; // what S3A's global endpoint means; buckets elsewhere redirect
    }
  }
}
