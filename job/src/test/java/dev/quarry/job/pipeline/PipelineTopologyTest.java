package dev.quarry.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.testing.RecordingProgressReporter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** How the job's operators are laid out in tasks, where that decides what waits for what. */
class PipelineTopologyTest {

  private static List<String> taskNames() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    JobSpec spec =
        JobSpec.builder()
            .jobId("topology0001")
            .inputUri("file:///nowhere/in/")
            .outputUri("file:///nowhere/out/")
            .modelId("anthropic.claude-3-haiku-20240307-v1:0")
            .bedrock(BedrockEndpoint.staticKeys("http://127.0.0.1:9", "us-east-1", "k", "s"))
            .build();
    BatchInferencePipeline.build(env, spec, RecordingProgressReporter.factory());
    JobGraph graph = env.getStreamGraph().getJobGraph();
    List<String> names = new ArrayList<>();
    for (JobVertex v : graph.getVertices()) {
      names.add(v.getName());
    }
    return names;
  }

  /**
   * Publishing a checkpoint's files takes seconds when there are hundreds of them; in the writer's
   * task it stopped the whole job for that long at every checkpoint.
   */
  @Test
  void theCommitterHasATaskOfItsOwnSoPublishingNeverHoldsUpTheWriter() {
    List<String> names = taskNames();
    assertThat(names)
        .filteredOn(n -> n.contains("Writer"))
        .singleElement()
        .asString()
        .doesNotContain("Committer");
    assertThat(names)
        .filteredOn(n -> n.contains("Committer"))
        .singleElement()
        .asString()
        .doesNotContain("Writer");
  }

  /**
   * A record crosses the network once on its way to the model (spread over the model-call subtasks)
   * and once to the writer: the duplicate check runs in the reader's task, as each file is read by
   * one reader, rather than behind an exchange by file.
   */
  @Test
  void theDuplicateCheckRunsInTheReadersTaskSoARecordCrossesTwoExchanges() {
    List<String> names = taskNames();
    assertThat(names).hasSize(4);
    assertThat(names)
        .filteredOn(n -> n.contains("reject duplicate recordIds"))
        .singleElement()
        .asString()
        .contains("Source: read", "parse records");
    assertThat(names)
        .filteredOn(n -> n.contains("invoke "))
        .singleElement()
        .asString()
        .contains("stop when asked");
  }
}
