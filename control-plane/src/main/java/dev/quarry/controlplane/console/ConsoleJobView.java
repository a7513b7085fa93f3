package dev.quarry.controlplane.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.api.AccountJobs;
import dev.quarry.controlplane.cost.PriceTable;
import dev.quarry.controlplane.store.JobRecord;

/**
 * A job as the console shows it: the Get view, plus what Get does not carry: the job id, token
 * counts, the estimated cost and records/s.
 */
final class ConsoleJobView {
  private final PriceTable prices;
  private final ProgressSamples samples;

  ConsoleJobView(PriceTable prices, ProgressSamples samples) {
    this.prices = prices;
    this.samples = samples;
  }

  ObjectNode of(JobRecord job) {
    ObjectNode o = AccountJobs.view(job);
    o.put("jobId", job.jobId());
    Long input = job.counts() == null ? null : job.counts().inputTokens();
    Long output = job.counts() == null ? null : job.counts().outputTokens();
    if (input != null) {
      o.put("inputTokenCount", input);
      o.put("outputTokenCount", output);
    }
    prices
        .estimate(job.modelId(), input, output)
        .ifPresent(
            cost -> {
              ObjectNode c = o.putObject("estimatedCost");
              c.put("onDemandUsd", cost.onDemand());
              c.put("batchUsd", cost.batch());
            });
    Double rate = samples.rate(job.jobId(), ProgressSampler.RUNNING.contains(job.status()));
    if (rate != null) {
      o.put("recordsPerSecond", rate);
    }
    ProgressSamples.Sample last = samples.latest(job.jobId());
    if (last != null && last.calls() > 0) {
      o.put("modelCalls", last.calls());
      o.put("throttledCalls", last.throttled());
    }
    if (last != null
        && last.allowedPerMinute() > 0
        && ProgressSampler.RUNNING.contains(job.status())) {
      o.put("allowedRequestsPerMinute", last.allowedPerMinute());
    }
    return o;
  }
}
