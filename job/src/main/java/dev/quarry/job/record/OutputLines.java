package dev.quarry.job.record;

import dev.quarry.job.spec.JobSpec;
import java.io.Serializable;

/** The output lines of a job's record format: each record's answer, or why it has none. */
public interface OutputLines extends Serializable {

  /** The line of a record the model answered with {@code body} (JSON), in request {@code id}. */
  String success(BatchRecord record, String body, String requestId);

  /** The line of a record whose call failed with {@code statusCode}, after every retry. */
  String failure(BatchRecord record, int statusCode, String message);

  /** The line of a record that was never sent ({@link RecordKind#INVALID}). */
  String invalid(BatchRecord record);

  /** The lines {@code spec}'s record format writes. */
  static OutputLines of(JobSpec spec) {
    return spec.recordFormat().isOpenAiBatch()
        ? new OpenAiOutputLines(spec.jobId())
        : new BedrockOutputLines();
  }
}
