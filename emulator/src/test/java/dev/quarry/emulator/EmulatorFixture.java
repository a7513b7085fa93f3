package dev.quarry.emulator;

import dev.quarry.emulator.config.EmulatorConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * Base of the tests that talk to a real emulator through the real AWS SDK: one emulator and one
 * sync and one async client per test class, SDK retries off so every injected fault is observed,
 * state reset before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmulatorFixture {
  static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
  static final String NOVA = "amazon.nova-lite-v1:0";
  static final String TITAN_TEXT = "amazon.titan-text-express-v1";
  static final String TITAN_EMBED = "amazon.titan-embed-text-v2:0";
  static final String LLAMA = "meta.llama3-8b-instruct-v1:0";
  static final String MISTRAL = "mistral.mistral-7b-instruct-v0:2";

  BedrockEmulator emulator;
  BedrockRuntimeClient client;
  BedrockRuntimeAsyncClient asyncClient;
  private SdkHttpClient syncHttp;
  private SdkAsyncHttpClient asyncHttp;
  private EventLoopGroup asyncEventLoops;

  /** The configuration each test starts from; override to change it for a whole class. */
  EmulatorConfig baseConfig() {
    return EmulatorConfig.defaults();
  }

  @BeforeAll
  void startEmulator() {
    emulator = BedrockEmulator.builder().config(baseConfig()).build().start();
    syncHttp =
        UrlConnectionHttpClient.builder()
            .socketTimeout(Duration.ofSeconds(10))
            .connectionTimeout(Duration.ofSeconds(5))
            .build();
    // Prebuilt with HTTP/1.1: bedrockruntime's builder would otherwise default the client to HTTP/2
    // + ALPN.
    // Our own event loops, shut down without the SDK's default 2 s quiet period: that alone would
    // add
    // seconds to every test class.
    asyncEventLoops = new NioEventLoopGroup(2, new DefaultThreadFactory("sdk-test-client", true));
    asyncHttp =
        NettyNioAsyncHttpClient.builder()
            .eventLoopGroup(SdkEventLoopGroup.create(asyncEventLoops))
            .protocol(Protocol.HTTP1_1)
            .maxConcurrency(500)
            .readTimeout(Duration.ofSeconds(10))
            .build();
    client =
        BedrockRuntimeClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(emulator.endpoint())
            .credentialsProvider(credentials())
            .httpClient(syncHttp)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    asyncClient =
        BedrockRuntimeAsyncClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(emulator.endpoint())
            .credentialsProvider(credentials())
            .httpClient(asyncHttp)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @BeforeEach
  void resetEmulator() {
    emulator.configure(baseConfig());
    emulator.reset();
  }

  @AfterAll
  void stopEmulator() {
    client.close();
    asyncClient.close();
    syncHttp.close();
    asyncHttp.close();
    asyncEventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    emulator.close();
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create("AKIAEMULATOR", "emulator-secret"));
  }

  /** InvokeModel through the sync client with {@code application/json}. */
  InvokeModelResponse invoke(String modelId, String body) {
    return client.invokeModel(request(modelId, body));
  }

  static InvokeModelRequest request(String modelId, String body) {
    return InvokeModelRequest.builder()
        .modelId(modelId)
        .contentType("application/json")
        .accept("application/json")
        .body(SdkBytes.fromUtf8String(body))
        .build();
  }

  /** A minimal valid Claude Messages body asking about {@code prompt}. */
  static String claudeBody(String prompt) {
    return claudeBody(prompt, 512);
  }

  static String claudeBody(String prompt, int maxTokens) {
    return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":"
        + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
        + prompt
        + "\"}]}]}";
  }

  /** The value of a response header, which the SDK exposes through the SdkHttpResponse. */
  static String header(InvokeModelResponse response, String name) {
    return response.sdkHttpResponse().firstMatchingHeader(name).orElse(null);
  }
}
