package dev.quarry.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.job.secret.SecretRef;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may scrape: loopback by default, anyone with the bearer token, nobody else; over HTTP where
 * the peer can be made (loopback), and on the access rule itself for peers on other addresses
 * (which a test on this machine cannot connect from).
 */
class MetricsAccessTest {
  @TempDir Path dir;

  private static ControlPlaneConfig.Metrics settings(Map<String, String> keys) {
    return ControlPlaneConfig.from(new ConfigSource(keys, Map.of())).metrics();
  }

  private Path tokenFile(String token) throws Exception {
    Path file = dir.resolve("metrics-token");
    Files.writeString(file, token + "\n");
    return file;
  }

  @Test
  void byDefaultLoopbackIsServedWithoutAToken() throws Exception {
    ControlPlaneConfig.Metrics defaults = settings(Map.of());
    assertThat(defaults.openOnLoopback()).isTrue();
    assertThat(defaults.bearerTokenRef()).isNull();
    try (MetricsServer server = new MetricsServer(dir.resolve("store"), defaults)) {
      Scrape scrape = Scrape.of(server.metrics(), null);
      assertThat(scrape.value("quarry_job_queue_length")).isZero();
      assertThat(scrape.matching("quarry_jobs")).as("no account has jobs yet").isEmpty();
      assertThat(Scrape.of(server.url("/metrics/"), null).text).contains("quarry_job_queue_length");
    }
  }

  @Test
  void withLoopbackClosedOnlyTheTokenIsServedAndItCanBeRotated() throws Exception {
    Path file = tokenFile("s3cret-Token-1");
    ControlPlaneConfig.Metrics closed =
        settings(
            Map.of(
                "quarry.metrics.open-on-loopback",
                "false",
                "quarry.metrics.bearer-token-ref",
                "file:" + file));
    try (MetricsServer server = new MetricsServer(dir.resolve("store"), closed)) {
      HttpResponse<String> none = Scrape.get(server.metrics(), null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(none.body()).doesNotContain("quarry_job").doesNotContain("s3cret");
      assertThat(Scrape.get(server.metrics(), "s3cret-Token-2").statusCode()).isEqualTo(401);
      assertThat(Scrape.get(server.metrics(), "s3cret-Token-").statusCode()).isEqualTo(401);
      assertThat(Scrape.get(server.metrics(), "s3cret-Token-1").statusCode()).isEqualTo(200);
      assertThat(get(server.metrics(), "Authorization", "bearer s3cret-Token-1").statusCode())
          .as("the scheme is case-insensitive")
          .isEqualTo(200);
      assertThat(get(server.metrics(), "Authorization", "Basic czNjcmV0LVRva2VuLTE=").statusCode())
          .isEqualTo(401);

      Files.writeString(file, "s3cret-Token-2");
      assertThat(Scrape.get(server.metrics(), "s3cret-Token-1").statusCode()).isEqualTo(401);
      assertThat(Scrape.of(server.metrics(), "s3cret-Token-2").text)
          .contains("quarry_job_queue_length 0.0");
    }
  }

  @Test
  void aPeerOnAnotherAddressNeedsTheToken() throws Exception {
    InetAddress remote = InetAddress.getByName("192.0.2.10"); // TEST-NET-1: never contacted
    InetAddress remote6 = InetAddress.getByName("2001:db8::10");
    ScrapeAccess loopbackOnly = new ScrapeAccess(settings(Map.of()));
    assertThat(loopbackOnly.refusal(remote, null))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403));
    assertThat(loopbackOnly.refusal(remote6, "Bearer anything"))
        .as("no token is configured, so none is right")
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403));
    assertThat(loopbackOnly.refusal(InetAddress.getByName("127.0.0.2"), null)).isEmpty();
    assertThat(loopbackOnly.refusal(InetAddress.getByName("::1"), null)).isEmpty();
    assertThat(loopbackOnly.refusal(null, null))
        .as("a peer that is not an IP address is no loopback one")
        .isPresent();

    Path file = tokenFile("tok-" + System.nanoTime());
    String token = Files.readString(file).strip();
    ScrapeAccess withToken =
        new ScrapeAccess(settings(Map.of("quarry.metrics.bearer-token-ref", "file:" + file)));
    assertThat(withToken.refusal(remote, null))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
    assertThat(withToken.refusal(remote, "Bearer wrong"))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
    assertThat(withToken.refusal(remote, "Bearer " + token)).isEmpty();
    assertThat(withToken.refusal(remote6, "Bearer " + token)).isEmpty();
    assertThat(withToken.refusal(InetAddress.getLoopbackAddress(), null))
        .as("loopback stays open unless closed")
        .isEmpty();
  }

  @Test
  void onlyGetOfMetricsIsAnswered() throws Exception {
    try (MetricsServer server = new MetricsServer(dir.resolve("store"), settings(Map.of()))) {
      HttpResponse<String> post =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.metrics())
                      .POST(HttpRequest.BodyPublishers.ofString("x"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(Scrape.get(server.url("/metrics/other"), null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aTokenReferenceMustBeOneATokenCanBeReadFrom() throws Exception {
    assertThatThrownBy(() -> settings(Map.of("quarry.metrics.bearer-token-ref", "jvm:abc")))
        .hasMessageContaining("env:NAME or file:/path");
    assertThatThrownBy(
            () -> settings(Map.of("quarry.metrics.bearer-token-ref", "the-token-itself")))
        .hasMessageNotContaining("the-token-itself");
    Path missing = dir.resolve("no-such-token");
    ControlPlaneConfig.Metrics unreadable =
        new ControlPlaneConfig.Metrics(true, SecretRef.parse("file:" + missing));
    assertThatThrownBy(() -> new ScrapeAccess(unreadable))
        .as("said at start, not at the first scrape")
        .hasMessageContaining("file:" + missing);
    Path empty = tokenFile("");
    assertThatThrownBy(
            () ->
                new ScrapeAccess(
                    new ControlPlaneConfig.Metrics(true, SecretRef.parse("file:" + empty))))
        .hasMessageContaining("empty");
  }

  private static HttpResponse<String> get(URI url, String header, String value) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(url).header(header, value).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
