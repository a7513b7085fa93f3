package dev.quarry.bench;

import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;

/**
 * One batch job as seen from the client: when each phase began (seconds after {@code
 * CreateModelInvocationJob} was sent, as first observed by polling every 50 ms), the progress
 * timeline, and the final state.
 *
 * @param scheduled first seen Scheduled or later (validation done)
 * @param inProgress first seen InProgress or later (its Flink job submitted)
 * @param firstProgress first seen with a processed record
 * @param allProcessed first seen with every record processed
 * @param ended first seen in a terminal state
 */
record JobRun(
    String jobArn,
    GetModelInvocationJobResponse last,
    double scheduled,
    double inProgress,
    double firstProgress,
    double allProcessed,
    double ended,
    Timeline timeline) {

  /** A benchmark of a job that did not finish properly measures nothing: stop there. */
  void requireCompleted(long expectedRecords) {
    if (!"Completed".equals(last.statusAsString())
        || last.successRecordCount() == null
        || last.successRecordCount() != expectedRecords) {
      throw new IllegalStateException(
          "job "
              + jobArn
              + " ended "
              + last.statusAsString()
              + " with "
              + last.successRecordCount()
              + " of "
              + expectedRecords
              + " records succeeded: "
              + last.message());
    }
  }
}
