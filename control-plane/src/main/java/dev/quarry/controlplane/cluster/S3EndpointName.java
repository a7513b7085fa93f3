package dev.quarry.controlplane.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An S3 endpoint as written in a configuration, and the form two spellings of one endpoint share:
 * no trailing slash, scheme and host in lower case, no default port, the scheme S3A assumes when
 * none is given. Every {@code *.amazonaws.com} endpoint and no endpoint at all are one: AWS S3,
 * whose bucket names are global.
 */
record S3EndpointName(String written, String canonical) {

  /** AWS S3, the S3A default when no endpoint is set. */
  static final String AWS = "";

  /**
   * @param written the configured value, or {@code null} when none is set
   * @param sslByDefault whether S3A reaches an endpoint written without a scheme over https ({@code
   *     fs.s3a.connection.ssl.enabled}, true unless set otherwise)
   */
  static S3EndpointName of(String written, boolean sslByDefault) {
    String trimmed = written == null ? "" : written.trim().replaceAll("/+$", "");
    if (trimmed.isEmpty()) {
      return new S3EndpointName(written, AWS);
    }
    String withScheme =
        trimmed.contains("://") ? trimmed : (sslByDefault ? "https://" : "http://") + trimmed;
    try {
      URI uri = new URI(withScheme);
      if (uri.getHost() == null) {
        return new S3EndpointName(written, withScheme);
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      if (host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn")) {
        return new S3EndpointName(written, AWS);
      }
      int port = uri.getPort();
      boolean defaultPort =
          port == -1
              || ("http".equals(scheme) && port == 80)
              || ("https".equals(scheme) && port == 443);
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      return new S3EndpointName(
          written, scheme + "://" + host + (defaultPort ? "" : ":" + port) + path);
    } catch (URISyntaxException e) {
      return new S3EndpointName(written, withScheme);
    }
  }

  boolean isAws() {
    return AWS.equals(canonical);
  }

  boolean sameAs(S3EndpointName other) {
    return canonical.equals(other.canonical);
  }

  /** The written value for a message: as configured, or what an unset endpoint means. */
  String shown() {
    return written == null || written.isBlank() ? "not set (AWS S3)" : written;
  }
}
