package dev.quarry.job.io;

import org.apache.flink.api.connector.sink2.Committer.CommitRequest;

/** What Flink hands the committer: one committable, on its first try; any signal back fails. */
record FirstCommitRequest(OutputFileCommittable committable)
    implements CommitRequest<OutputFileCommittable> {
  @Override
  public OutputFileCommittable getCommittable() {
    return committable;
  }

  @Override
  public int getNumberOfRetries() {
    return 0;
  }

  @Override
  public void signalFailedWithKnownReason(Throwable t) {
    throw new AssertionError("unexpected", t);
  }

  @Override
  public void signalFailedWithUnknownReason(Throwable t) {
    throw new AssertionError("unexpected", t);
  }

  @Override
  public void retryLater() {
    throw new AssertionError("unexpected retryLater");
  }

  @Override
  public void updateAndRetryLater(OutputFileCommittable c) {
    throw new AssertionError("unexpected updateAndRetryLater");
  }

  @Override
  public void signalAlreadyCommitted() {
    throw new AssertionError("unexpected signalAlreadyCommitted");
  }
}
