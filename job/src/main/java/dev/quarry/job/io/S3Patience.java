package dev.quarry.job.io;

import java.io.Serializable;
import org.apache.flink.configuration.Configuration;

/**
 * How long Flink's S3 file system keeps trying an S3 it cannot reach. The S3A client's own defaults
 * retry a refused connection for minutes (20 SDK retries inside each of 7 S3A retries); these bound
 * an unreachable endpoint to seconds while still riding out a dropped connection.
 *
 * <p>Worst case for one operation on an endpoint that drops packets: {@code (operationRetries + 1)
 * * (requestRetries + 1) * connectTimeoutMillis} plus the backoffs; a refused connection fails at
 * once and costs only the backoffs.
 *
 * @param connectTimeoutMillis TCP connect timeout ({@code fs.s3a.connection.establish.timeout})
 * @param requestRetries the AWS SDK's retries of one HTTP request ({@code fs.s3a.attempts.maximum})
 * @param operationRetries S3A's retries of one file system operation ({@code fs.s3a.retry.limit})
 * @param retryIntervalMillis S3A's first backoff, doubled (with jitter) on each retry ({@code
 *     fs.s3a.retry.interval})
 */
public record S3Patience(
    long connectTimeoutMillis, int requestRetries, int operationRetries, long retryIntervalMillis)
    implements Serializable {

  /**
   * The defaults documented in {@code conf/quarry.properties}: an unreachable S3 fails in under 10
   * s.
   */
  public static final S3Patience DEFAULTS = new S3Patience(2_000, 1, 1, 500);

  public S3Patience {
    if (connectTimeoutMillis < 1
        || requestRetries < 0
        || operationRetries < 0
        || retryIntervalMillis < 1) {
      throw new IllegalArgumentException(
          "S3 timeouts must be positive and retries at least 0: " + this);
    }
  }

  /**
   * Writes these limits as the {@code s3.*} keys flink-s3-fs-hadoop turns into {@code fs.s3a.*}.
   */
  void applyTo(Configuration conf) {
    conf.setString("s3.connection.establish.timeout", Long.toString(connectTimeoutMillis));
    conf.setString("s3.attempts.maximum", Integer.toString(requestRetries));
    conf.setString("s3.retry.limit", Integer.toString(operationRetries));
    conf.setString("s3.retry.interval", retryIntervalMillis + "ms");
  }
}
