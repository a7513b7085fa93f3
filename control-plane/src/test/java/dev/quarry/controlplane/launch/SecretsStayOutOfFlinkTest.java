package dev.quarry.controlplane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.job.QuarryJob;
import dev.quarry.job.listing.InputListingTable;
import dev.quarry.job.pipeline.BatchInferencePipeline;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.spec.StatusStoreAddress;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.OutputFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job on the embedded MiniCluster with a Bedrock secret key and a status store password: its
 * tasks resolve both (the emulator checks the signature, the store's user has that password), while
 * neither value appears in the spec, the serialized job graph or any of Flink's REST answers about
 * the job.
 */
public class SecretsStayOutOfFlinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCESS_KEY = "AKIAQUARRYSECRETTEST";
  private static final String BEDROCK_SECRET =
      "bedrockSecret-" + Long.toHexString(System.nanoTime());
  private static final String STORE_SECRET = "storePassword-" + Long.toHexString(System.nanoTime());
  private static final String JOB_ID = "secrets00001";

  @TempDir Path dir;

  @Test
  void theTasksResolveTheSecretsAndFlinkShowsNone() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.write(in.resolve("a.jsonl"), Corpus.file("s", 20));
    String storeUrl = "jdbc:h2:mem:secrets-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    EmulatorConfig signed = EmulatorConfig.builder().credential(ACCESS_KEY, BEDROCK_SECRET).build();
    try (Connection store = DriverManager.getConnection(storeUrl, "progress", STORE_SECRET);
        BedrockEmulator emulator =
            BedrockEmulator.builder().port(0).config(signed).build().start();
        EmbeddedFlinkLauncher launcher =
            new EmbeddedFlinkLauncher(new EmbeddedFlinkSettings(1, 4, dir.resolve("flink")))) {
      createProgressTables(store);
      storeListing(store, in.resolve("a.jsonl"));
      // not in the listing, so not read
      Files.write(in.resolve("b.jsonl"), Corpus.file("t", 3));
      JobSpec spec =
          JobSpec.builder()
              .jobId(JOB_ID)
              .inputUri(in.toUri().toString())
              .outputUri(dir.resolve("out").toUri().toString())
              .modelId("anthropic.claude-3-haiku-20240307-v1:0")
              .bedrock(
                  BedrockEndpoint.staticKeys(
                      emulator.endpoint().toString(),
                      "us-east-1",
                      ACCESS_KEY,
                      SecretRef.inProcess(BEDROCK_SECRET)))
              .statusStore(
                  new StatusStoreAddress(storeUrl, "progress", SecretRef.inProcess(STORE_SECRET)))
              .checkpointIntervalMillis(500)
              .build();

      assertThat(spec.toJson())
          .doesNotContain(BEDROCK_SECRET)
          .doesNotContain(STORE_SECRET)
          .contains(spec.bedrock().secretAccessKeyRef().reference());
      String graph = serializedJobGraph(spec);
      assertThat(graph)
          .as("the serialized job graph carries the references")
          .contains(spec.bedrock().secretAccessKeyRef().reference())
          .contains(spec.statusStore().passwordRef().reference())
          .as("but not the secrets")
          .doesNotContain(BEDROCK_SECRET)
          .doesNotContain(STORE_SECRET);

      String flinkJobId = launcher.launch(spec, null);
      awaitFinished(launcher, flinkJobId);

      List<JsonNode> lines =
          OutputFile.parse(
              Files.readString(dir.resolve("out").resolve(JOB_ID).resolve("a.jsonl.out")));
      assertThat(lines)
          .as("every call signed with the resolved secret")
          .hasSize(20)
          .allSatisfy(l -> assertThat(l.has("modelOutput")).as(l.toString()).isTrue());
      assertThat(dir.resolve("out").resolve(JOB_ID).resolve("b.jsonl.out"))
          .as("the source read the listing from the store with the resolved password")
          .doesNotExist();
      try (Statement s = store.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT counts_final, success_record_count FROM jobs WHERE job_id = '"
                      + JOB_ID
                      + "'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1))
            .as("final counts written with the resolved store password")
            .isTrue();
        assertThat(rs.getLong(2)).isEqualTo(20);
      }

      Map<String, String> answers = restAnswers(launcher.restAddress(), flinkJobId);
      assertThat(answers.get("jobs/" + flinkJobId))
          .as("the job is known to the REST API")
          .contains(flinkJobId);
      answers.forEach(
          (path, body) ->
              assertThat(body)
                  .as(path)
                  .doesNotContain(BEDROCK_SECRET)
                  .doesNotContain(STORE_SECRET));
    }
  }

  private static void createProgressTables(Connection store) throws Exception {
    try (Statement s = store.createStatement()) {
      s.execute(
          "CREATE TABLE jobs (job_id VARCHAR(12) PRIMARY KEY, total_record_count BIGINT,"
              + " processed_record_count BIGINT, success_record_count BIGINT, error_record_count BIGINT,"
              + " input_token_count BIGINT, output_token_count BIGINT, counts_final BOOLEAN DEFAULT FALSE NOT NULL)");
      s.execute(
          "CREATE TABLE job_progress (job_id VARCHAR(12) NOT NULL, subtask INTEGER NOT NULL,"
              + " processed BIGINT NOT NULL, success BIGINT NOT NULL, errors BIGINT NOT NULL,"
              + " input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
              + " PRIMARY KEY (job_id, subtask))");
      s.execute("INSERT INTO jobs (job_id) VALUES ('" + JOB_ID + "')");
      // the real table: the source reads its listing on the JobManager, with the same secret
      String listing;
      try (var sql =
          SecretsStayOutOfFlinkTest.class.getResourceAsStream(
              "/db/migration/V8__job_input_files.sql")) {
        listing = new String(sql.readAllBytes(), StandardCharsets.UTF_8);
      }
      s.execute(listing.replaceAll("(?m)^\\s*--.*$", ""));
    }
  }

  /** The listing validation would have stored: {@code file} alone. */
  private static void storeListing(Connection store, Path file) throws Exception {
    try (PreparedStatement s = store.prepareStatement(InputListingTable.INSERT)) {
      s.setString(1, JOB_ID);
      s.setInt(2, 0);
      s.setString(3, new org.apache.flink.core.fs.Path(file.toUri()).toString());
      s.setLong(4, Files.size(file));
      s.setLong(5, Files.getLastModifiedTime(file).toMillis());
      s.setLong(6, 20);
      s.executeUpdate();
    }
  }

  /**
   * The job graph as the launcher's environment builds it, serialized as it is sent to the
   * JobManager.
   */
  private static String serializedJobGraph(JobSpec spec) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    BatchInferencePipeline.build(env, spec, QuarryJob.reporterFactory(spec));
    byte[] bytes = InstantiationUtil.serializeObject(env.getStreamGraph().getJobGraph());
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static void awaitFinished(EmbeddedFlinkLauncher launcher, String flinkJobId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    FlinkJobState state = launcher.state(flinkJobId);
    while (state.phase() == FlinkJobState.Phase.RUNNING
        || state.phase() == FlinkJobState.Phase.UNKNOWN) {
      assertThat(System.nanoTime()).as("the job ends within 90 s").isLessThan(deadline);
      Thread.sleep(200);
      state = launcher.state(flinkJobId);
    }
    assertThat(state.phase()).as(String.valueOf(state)).isEqualTo(FlinkJobState.Phase.FINISHED);
  }

  /** Every REST answer about the cluster and the job, its vertices included, by path. */
  public static Map<String, String> restAnswers(URI rest, String flinkJobId) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<String> paths =
        new ArrayList<>(
            List.of(
                "config",
                "overview",
                "jobmanager/config",
                "jobmanager/environment",
                "jobs/overview",
                "taskmanagers",
                "jars",
                "jobs/" + flinkJobId,
                "jobs/" + flinkJobId + "/config",
                "jobs/" + flinkJobId + "/plan",
                "jobs/" + flinkJobId + "/exceptions",
                "jobs/" + flinkJobId + "/accumulators",
                "jobs/" + flinkJobId + "/checkpoints",
                "jobs/" + flinkJobId + "/checkpoints/config",
                "jobs/" + flinkJobId + "/jobmanager/config",
                "jobs/" + flinkJobId + "/jobmanager/environment"));
    Map<String, String> answers = new LinkedHashMap<>();
    for (int i = 0; i < paths.size(); i++) {
      String path = paths.get(i);
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(rest.toString().replaceAll("/+$", "") + "/" + path))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      answers.put(path, response.body());
      if (path.equals("jobs/" + flinkJobId) && response.statusCode() == 200) {
        for (JsonNode vertex : JSON.readTree(response.body()).path("vertices")) {
          String v = "jobs/" + flinkJobId + "/vertices/" + vertex.path("id").asText();
          paths.addAll(
              List.of(v, v + "/accumulators", v + "/subtasks/accumulators", v + "/taskmanagers"));
        }
      }
    }
    return answers;
  }
}
