package dev.quarry.localstack;

import dev.quarry.controlplane.QuarryControlPlane;
import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.console.ConsoleHandler;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.ApiKeys;
import dev.quarry.controlplane.keys.StackKey;
import dev.quarry.controlplane.metrics.MetricsHandler;
import dev.quarry.controlplane.openai.OpenAiHandler;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.job.io.S3Settings;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.locals3.LocalS3Config;
import dev.quarry.locals3.LocalS3Server;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole local stack in one process: the control plane with embedded Flink and status store, S3
 * (S3Proxy over {@code <data-dir>/s3}) and the Bedrock Runtime emulator, unless the configuration
 * points at real AWS ({@code quarry.serve.bedrock=aws}, {@code quarry.serve.s3=aws}).
 *
 * <p>Everything lives under the data directory, so a stack started again on it has its jobs and
 * files.
 */
public final class LocalStack implements AutoCloseable {
  private final LocalS3Server s3;
  private final BedrockEmulator emulator;
  private final QuarryControlPlane controlPlane;
  private final ControlPlaneConfig config;
  private final AccessKey key;

  private LocalStack(
      LocalS3Server s3,
      BedrockEmulator emulator,
      QuarryControlPlane controlPlane,
      ControlPlaneConfig config,
      AccessKey key) {
    this.key = key;
    this.s3 = s3;
    this.emulator = emulator;
    this.controlPlane = controlPlane;
    this.config = config;
  }

  public static LocalStack start(ServeOptions options) throws Exception {
    ConfigSource source = ConfigSource.load(options.configFile());
    ControlPlaneConfig base = ControlPlaneConfig.from(source);
    Path dataDir = options.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    AccessKey key = StackKey.of(dataDir, base.api().accountId());
    String host = base.api().host();
    boolean localS3 = !"aws".equals(source.string("quarry.serve.s3", "local"));
    boolean emulated = !"aws".equals(source.string("quarry.serve.bedrock", "emulator"));

    LocalS3Server s3 = null;
    BedrockEmulator emulator = null;
    try {
      S3Settings s3Settings = base.s3();
      String s3Source = base.s3Source();
      if (localS3) {
        s3 =
            LocalS3Server.start(
                LocalS3Config.builder()
                    .host(host)
                    .port(options.port() + 1)
                    .dataDir(dataDir.resolve("s3"))
                    .credentials(key.accessKey(), key.secretKey())
                    .build());
        s3Settings =
            new S3Settings(
                s3.endpoint().toString(),
                true,
                key.accessKey(),
                key.secretKey(),
                base.s3().patience());
        s3Source = "the local S3 that scripts/quarry serve runs on --port + 1";
        String filesBucket = bucketOf(base.openai().filesUri());
        if (!s3.buckets().contains(filesBucket)) {
          s3.createBucket(filesBucket); // where the OpenAI Batch API keeps its files
        }
      }
      BedrockEndpoint bedrock = base.bedrock();
      if (emulated) {
        Path emulatorConfig = options.configFile().resolveSibling("emulator.json");
        emulator =
            BedrockEmulator.builder()
                .host(host)
                .port(options.port() + 2)
                .config(
                    Files.exists(emulatorConfig)
                        ? EmulatorConfig.load(emulatorConfig)
                        : EmulatorConfig.defaults())
                .build()
                .start();
        // By reference to a file of the data directory, so a cluster's TaskManagers on this machine
        // can read
        // it too and the secret stays out of Flink's job graph.
        bedrock =
            BedrockEndpoint.staticKeys(
                emulator.endpoint().toString(),
                base.api().region(),
                key.accessKey(),
                emulatorSecret(dataDir, key));
      }
      ControlPlaneConfig config =
          base.with(base.api().at(host, options.port()), dataDir, bedrock, s3Settings, s3Source);
      if (options.flinkRest() != null) {
        config = config.with(config.flink().remote(options.flinkRest()));
      }
      QuarryControlPlane plane = QuarryControlPlane.start(config);
      return new LocalStack(s3, emulator, plane, config, key);
    } catch (Exception | Error e) {
      if (emulator != null) {
        emulator.close();
      }
      if (s3 != null) {
        s3.close();
      }
      throw e;
    }
  }

  /**
   * The stack key's secret in {@code <data-dir>/secrets/bedrock-secret-access-key}, readable by its
   * owner only.
   */
  private static SecretRef emulatorSecret(Path dataDir, AccessKey key) throws IOException {
    Path dir = Files.createDirectories(dataDir.resolve("secrets"));
    Path file = dir.resolve("bedrock-secret-access-key");
    Path written =
        Files.createTempFile(
            dir,
            ".bedrock",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(written, key.secretKey(), StandardCharsets.UTF_8);
    // Replaced whole, so a TaskManager reading it meanwhile sees the old or the new file, never
    // half of one.
    Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return SecretRef.parse("file:" + file.toAbsolutePath());
  }

  private static String bucketOf(String s3Uri) {
    String rest = s3Uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** The access key the stack prints, accepted by its API and its S3. */
  public AccessKey key() {
    return key;
  }

  /** The stack's endpoints by name, in the order they are printed. */
  public Map<String, URI> endpoints() {
    Map<String, URI> out = new LinkedHashMap<>();
    out.put("control-plane", controlPlane.endpoint());
    out.put("console", controlPlane.endpoint().resolve(ConsoleHandler.PREFIX));
    out.put("metrics", controlPlane.endpoint().resolve(MetricsHandler.PATH));
    out.put("openai", controlPlane.endpoint().resolve(OpenAiHandler.PREFIX));
    if (s3 != null) {
      out.put("s3", s3.endpoint());
    }
    if (emulator != null) {
      out.put("emulator", emulator.endpoint());
    }
    return out;
  }

  /** Prints one {@code name: url} line per endpoint, then the keys and region to use. */
  public void printEndpoints(PrintStream out) {
    endpoints().forEach((name, uri) -> out.println(name + ": " + uri));
    out.println("access-key: " + key.accessKey());
    out.println("secret-key: " + key.secretKey());
    out.println("api-key: " + ApiKeys.of(key));
    out.println("region: " + config.api().region());
    out.println("data-dir: " + config.dataDir());
    out.println("ready");
    out.flush();
  }

  public QuarryControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public void close() {
    controlPlane.close();
    if (emulator != null) {
      emulator.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }
}
