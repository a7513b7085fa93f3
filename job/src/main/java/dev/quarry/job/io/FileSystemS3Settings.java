package dev.quarry.job.io;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.WrappingProxy;

/**
 * The {@link S3Settings} Flink's S3 file system (flink-s3-fs-hadoop's S3A) uses for a bucket, read
 * back from that file system's own Hadoop configuration, so that the SDK client of {@link
 * S3Objects} reaches S3 exactly as S3A does: with the {@code s3.*} keys of a cluster's {@code
 * config.yaml} on a TaskManager, with the control plane's {@link S3Settings} through {@link
 * FileSystemSetup} in its JVM, per-bucket overrides included. There is no second place to
 * configure.
 *
 * <p>The plugin's classes live in their own class loader, hence reflection; its public methods
 * ({@code getHadoopFileSystem}, Hadoop's {@code Configuration.get}) have been stable across Flink
 * and Hadoop releases.
 */
final class FileSystemS3Settings {
  /**
   * Per file system instance: Flink caches one per scheme and bucket, and {@link
   * FileSystem#initialize} (tests, a control plane given new settings) replaces them all.
   */
  private static final Map<FileSystem, S3Settings> KNOWN = new WeakHashMap<>();

  private FileSystemS3Settings() {}

  /**
   * The settings S3A uses for the bucket of {@code path}, an {@code s3://} or {@code s3a://} path.
   */
  static S3Settings of(Path path) throws IOException {
    FileSystem fs = FileSystem.getUnguardedFileSystem(path.toUri());
    synchronized (KNOWN) {
      S3Settings known = KNOWN.get(fs);
      if (known != null) {
        return known;
      }
    }
    S3Settings read = read(fs);
    synchronized (KNOWN) {
      KNOWN.put(fs, read);
    }
    return read;
  }

  private static S3Settings read(FileSystem fs) throws IOException {
    Object hadoopConf = hadoopConfiguration(fs);
    String endpoint = blankToNull(get(hadoopConf, "fs.s3a.endpoint"));
    if (endpoint != null && !endpoint.contains("://")) {
      // S3A takes a bare host and picks the scheme from its SSL switch (on by default)
      boolean ssl = !"false".equalsIgnoreCase(get(hadoopConf, "fs.s3a.connection.ssl.enabled"));
      endpoint = (ssl ? "https://" : "http://") + endpoint;
    }
    String accessKey = blankToNull(get(hadoopConf, "fs.s3a.access.key"));
    String secretKey = accessKey == null ? null : password(hadoopConf, "fs.s3a.secret.key");
    S3Patience d = S3Patience.DEFAULTS;
    S3Patience patience =
        new S3Patience(
            millis(
                get(hadoopConf, "fs.s3a.connection.establish.timeout"), d.connectTimeoutMillis()),
            (int) number(get(hadoopConf, "fs.s3a.attempts.maximum"), d.requestRetries()),
            (int) number(get(hadoopConf, "fs.s3a.retry.limit"), d.operationRetries()),
            millis(get(hadoopConf, "fs.s3a.retry.interval"), d.retryIntervalMillis()));
    return new S3Settings(
        endpoint,
        "true".equalsIgnoreCase(get(hadoopConf, "fs.s3a.path.style.access")),
        accessKey,
        secretKey,
        patience);
  }

  /** The Hadoop {@code Configuration} of the S3A instance behind Flink's file system. */
  private static Object hadoopConfiguration(FileSystem fs) throws IOException {
    FileSystem inner = fs;
    while (inner instanceof WrappingProxy<?> proxy
        && proxy.getWrappedDelegate() instanceof FileSystem delegate) {
      inner = delegate;
    }
    try {
      Object hadoopFs = inner.getClass().getMethod("getHadoopFileSystem").invoke(inner);
      return hadoopFs.getClass().getMethod("getConf").invoke(hadoopFs);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IOException(
          "Flink's file system for S3 ("
              + inner.getClass().getName()
              + ") is not flink-s3-fs-hadoop; Quarry reads its S3 settings from that plugin",
          e);
    } catch (InvocationTargetException e) {
      throw new IOException("Cannot read the S3 file system's settings", e.getCause());
    }
  }

  private static String get(Object hadoopConf, String key) throws IOException {
    try {
      Method get = hadoopConf.getClass().getMethod("get", String.class);
      Object value = get.invoke(hadoopConf, key);
      return value == null ? null : value.toString().trim();
    } catch (ReflectiveOperationException e) {
      throw new IOException("Cannot read " + key + " from the S3 file system's settings", e);
    }
  }

  /** Like S3A: a credential provider's value if one holds the key, else the plain setting. */
  private static String password(Object hadoopConf, String key) throws IOException {
    try {
      Object value =
          hadoopConf.getClass().getMethod("getPassword", String.class).invoke(hadoopConf, key);
      return value == null ? "" : new String((char[]) value);
    } catch (ReflectiveOperationException e) {
      throw new IOException("Cannot read " + key + " from the S3 file system's settings", e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static long number(String value, long fallback) {
    return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
  }

  /**
   * Hadoop's time values: a bare number of milliseconds, or with a unit ({@code 500ms}, {@code
   * 2s}).
   */
  static long millis(String value, long fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    int unitAt = 0;
    while (unitAt < v.length() && Character.isDigit(v.charAt(unitAt))) {
      unitAt++;
    }
    long n = Long.parseLong(v.substring(0, unitAt));
    return switch (v.substring(unitAt).trim()) {
      case "", "ms" -> n;
      case "s" -> n * 1_000;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      case "d" -> n * 86_400_000;
      default -> throw new IllegalArgumentException("Not a time: " + value);
    };
  }
}
