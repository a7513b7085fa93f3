package dev.quarry.job.pipeline;

import dev.quarry.job.invoke.BedrockInvokeFunction;
import dev.quarry.job.io.JsonlFileSource;
import dev.quarry.job.io.OutputFileSink;
import dev.quarry.job.listing.StoredInputListing;
import dev.quarry.job.progress.ProgressReporterFactory;
import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordParser;
import dev.quarry.job.record.RecordResult;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.stop.StopFilter;
import dev.quarry.job.stop.StopMarker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's data path in one place: JSONL lines in → parsed records → duplicate check (all three in
 * the reader's task) → rate-limited model calls → output files and manifest.
 */
public final class BatchInferencePipeline {
  /**
   * Records the model-call operator holds per call it may have in flight: the calls in flight, the
   * records waiting for a slot, and the answered ones until the task thread emits them. At 2 the
   * answered records waiting for the task thread left too few waiting to refill the freed slots, so
   * calls in flight sagged below the limit and each call cost the SDK's and the model's I/O threads
   * more (fewer answers per wake-up; the emulator's CPU per call was 7 % above the plain loop's at
   * the same concurrency, the same at 4). Waiting records cost no call, only memory and
   * checkpointed state, and a stop drops them unsent.
   */
  static final int ASYNC_CAPACITY_PER_CONCURRENT_CALL = 4;

  static final long STOP_CHECK_MILLIS = 500;

  private BatchInferencePipeline() {}

  /**
   * Configures {@code env} (STREAMING, checkpoints) and adds the job's operators to it. STREAMING
   * with checkpoints, not BATCH: a failure then re-invokes only what was in flight or done since
   * the last checkpoint, not a whole input file.
   */
  public static void build(
      StreamExecutionEnvironment env, JobSpec spec, ProgressReporterFactory reporters) {
    env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
    env.setParallelism(spec.parallelism());
    env.enableCheckpointing(spec.checkpointIntervalMillis());
    // Records wait minutes in network buffers ahead of the (slow) model calls; an aligned barrier
    // would wait behind them, so checkpoints would come rarely and a failure would cost more calls.
    env.getCheckpointConfig().enableUnalignedCheckpoints();
    // No operator keeps or changes a record after handing it on (the async operator copies what it
    // queues when reuse is on), so chained operators need not deep-copy every record.
    env.getConfig().enableObjectReuse();
    Configuration conf = new Configuration();
    // Without an explicit strategy, checkpointing implies exponential-delay restarts, i.e. forever.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, spec.maxRestarts());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    env.configure(conf);

    // A job the control plane validated reads the files validation counted, not a new listing.
    JsonlFileSource source =
        new JsonlFileSource(
            spec.inputUri(),
            spec.maxRecordBytes(),
            spec.statusStore() == null
                ? null
                : new StoredInputListing(spec.statusStore(), spec.jobId()));
    RecordParser parser = new RecordParser(spec.maxRecordBytes(), spec.recordFormat());

    DataStream<BatchRecord> records =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "read " + spec.inputUri())
            .uid("quarry-source")
            .map(parser::parse)
            .returns(TypeInformation.of(BatchRecord.class))
            .name("parse records")
            .uid("quarry-parse")
            // In the reader's task: each file passes through one reader, so no exchange by file.
            .process(new DuplicateRecordFilter())
            .returns(TypeInformation.of(BatchRecord.class))
            .name("reject duplicate recordIds per file")
            .uid("quarry-dedupe-per-reader")
            // The model calls are spread evenly however the files are sized.
            .rebalance()
            // After the shuffle, so that records buffered in the network are dropped too on stop.
            .filter(new StopFilter(StopMarker.of(spec), STOP_CHECK_MILLIS))
            .name("stop when asked")
            .uid("quarry-stop");

    int capacity = spec.limits().maxConcurrency() * ASYNC_CAPACITY_PER_CONCURRENT_CALL;
    DataStream<RecordResult> results =
        AsyncDataStream.unorderedWait(
                records,
                new BedrockInvokeFunction(
                    spec,
                    STOP_CHECK_MILLIS,
                    BedrockInvokeFunction.recordTimeoutMillis(spec, capacity)),
                // No timeout of Flink's (a timer per record): the function keeps the deadline.
                0,
                TimeUnit.MILLISECONDS,
                capacity)
            .returns(TypeInformation.of(RecordResult.class))
            .name("invoke " + spec.modelId())
            .uid("quarry-invoke");

    results
        .sinkTo(new OutputFileSink(spec, reporters))
        .name("write " + spec.jobOutputUri())
        .uid("quarry-output")
        .setParallelism(1);
  }
}
