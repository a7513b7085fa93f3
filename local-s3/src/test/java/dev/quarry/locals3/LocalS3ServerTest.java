package dev.quarry.locals3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class LocalS3ServerTest {

  private static S3Client client(LocalS3Server server) {
    return S3Client.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    server.config().accessKey(), server.config().secretKey())))
        .build();
  }

  @Test
  void objectsLiveInTheDataFolderAndSurviveARestart(@TempDir Path dir) throws Exception {
    LocalS3Config config = LocalS3Config.builder().dataDir(dir).buckets("in-bucket").build();
    try (LocalS3Server server = LocalS3Server.start(config);
        S3Client s3 = client(server)) {
      s3.putObject(
          b -> b.bucket("in-bucket").key("a/b.jsonl"), RequestBody.fromString("{\"x\":1}\n"));
    }
    assertThat(dir.resolve("in-bucket/a/b.jsonl")).hasContent("{\"x\":1}");

    try (LocalS3Server server = LocalS3Server.start(config);
        S3Client s3 = client(server)) {
      String body = s3.getObjectAsBytes(b -> b.bucket("in-bucket").key("a/b.jsonl")).asUtf8String();
      assertThat(body).isEqualTo("{\"x\":1}\n");
      assertThat(server.buckets()).containsExactly("in-bucket");
    }
  }

  @Test
  void inMemoryServerRejectsWrongKeys() throws Exception {
    try (LocalS3Server server =
        LocalS3Server.start(LocalS3Config.builder().buckets("b1x").build())) {
      assertThat(server.port()).isPositive();
      S3Client wrong =
          S3Client.builder()
              .endpointOverride(server.endpoint())
              .region(Region.US_EAST_1)
              .forcePathStyle(true)
              .httpClient(UrlConnectionHttpClient.create())
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "nothing")))
              .build();
      try (wrong) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> wrong.listObjectsV2(b -> b.bucket("b1x")))
            .hasMessageContaining("403");
      }
      try (S3Client s3 = client(server)) {
        s3.putObject(
            b -> b.bucket("b1x").key("k"),
            RequestBody.fromBytes("v".getBytes(StandardCharsets.UTF_8)));
        assertThat(s3.listObjectsV2(b -> b.bucket("b1x")).contents()).hasSize(1);
      }
    }
  }

  @Test
  void everyConfigWithoutCredentialsHasItsOwnRandomPair() throws Exception {
    LocalS3Config first = LocalS3Config.builder().buckets("own").build();
    LocalS3Config second = LocalS3Config.builder().build();
    assertThat(first.accessKey()).matches("AKIA[A-Z2-7]{16}").isNotEqualTo(second.accessKey());
    assertThat(first.secretKey()).matches("[A-Za-z0-9+/]{40}").isNotEqualTo(second.secretKey());
    assertThat(LocalS3Config.builder().credentials("given", "given-secret").build().secretKey())
        .isEqualTo("given-secret");
    try (LocalS3Server server = LocalS3Server.start(first);
        S3Client other =
            S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(second.accessKey(), second.secretKey())))
                .build();
        S3Client own = client(server)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> other.listObjectsV2(b -> b.bucket("own")))
          .as("another config's random pair")
          .hasMessageContaining("403");
      assertThat(own.listObjectsV2(b -> b.bucket("own")).contents()).isEmpty();
    }
  }
}
