package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the command line in a child JVM, directly and through {@code scripts/emulator}. */
class EmulatorMainTest {
  private static final Pattern READY = Pattern.compile("emulator: (http://127\\.0\\.0\\.1:(\\d+))");
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final String CLASSPATH = System.getProperty("java.class.path");

  @Test
  void mainPrintsItsEndpointServesAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    Path stderr = dir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(JAVA, "-cp", CLASSPATH, EmulatorMain.class.getName(), "--port", "0")
            .redirectError(stderr.toFile())
            .start();
    try {
      URI endpoint = awaitReady(process);

      assertThat(RawHttp.get(endpoint, "/_emulator/health").statusCode()).isEqualTo(200);
      HttpResponse<String> reply =
          RawHttp.post(
              endpoint,
              "/model/meta.llama3-8b-instruct-v1:0/invoke",
              "application/json",
              "{\"prompt\":\"from a child process\"}");
      assertThat(reply.body()).contains("Emulated reply to: from a child process");

      process.destroy();
      assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(stderr)).doesNotContain("Exception");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void mainLoadsAConfigFile(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("emulator.json");
    Files.writeString(config, "{\"defaults\":{\"faults\":{\"serviceUnavailable\":1.0}}}");
    Process process =
        new ProcessBuilder(
                JAVA,
                "-cp",
                CLASSPATH,
                EmulatorMain.class.getName(),
                "--host",
                "127.0.0.1",
                "--port=0",
                "--config",
                config.toString())
            .start();
    try {
      URI endpoint = awaitReady(process);

      HttpResponse<String> reply =
          RawHttp.post(
              endpoint,
              "/model/meta.llama3-8b-instruct-v1:0/invoke",
              "application/json",
              "{\"prompt\":\"x\"}");
      assertThat(reply.statusCode()).isEqualTo(503);
    } finally {
      process.destroy();
      process.waitFor(15, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  @Test
  void mainRejectsBadArguments() throws Exception {
    Process process =
        new ProcessBuilder(JAVA, "-cp", CLASSPATH, EmulatorMain.class.getName(), "--port", "x")
            .redirectErrorStream(true)
            .start();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("--port needs a number")
        .contains("usage: emulator");
  }

  @Test
  void mainReportsAPortInUse() throws Exception {
    try (BedrockEmulator taken = BedrockEmulator.builder().build().start()) {
      Process process =
          new ProcessBuilder(
                  JAVA,
                  "-cp",
                  CLASSPATH,
                  EmulatorMain.class.getName(),
                  "--port",
                  Integer.toString(taken.port()))
              .redirectErrorStream(true)
              .start();

      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(1);
      assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains("emulator: cannot listen on 127.0.0.1:" + taken.port());
    }
  }

  @Test
  void theScriptPassesItsArgumentsThrough() throws Exception {
    // QUARRY_EMULATOR_CLASSPATH makes the script skip its Maven build: a build inside a test run
    // would recurse.
    Path script = Path.of("..", "scripts", "emulator").toAbsolutePath().normalize();
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "--port", "0");
    builder.environment().put("QUARRY_EMULATOR_CLASSPATH", CLASSPATH);
    Process process = builder.start();
    try {
      URI endpoint = awaitReady(process);

      assertThat(RawHttp.get(endpoint, "/_emulator/stats").statusCode()).isEqualTo(200);
    } finally {
      process.destroy();
      process.waitFor(15, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  private static URI awaitReady(Process process) throws Exception {
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    CompletableFuture<URI> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
                  seen.add(line);
                  Matcher m = READY.matcher(line);
                  if (m.matches()) {
                    return URI.create(m.group(1));
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException(
                  "emulator exited before it was ready; stdout: " + seen);
            });
    URI endpoint = ready.get(30, TimeUnit.SECONDS);
    assertThat(Integer.parseInt(endpoint.toString().replaceAll(".*:", ""))).isPositive();
    return endpoint;
  }
}
