package dev.quarry.job.record;

/** Bedrock's output lines ({@link OutputLine}), with the record's {@code modelInput} in each. */
final class BedrockOutputLines implements OutputLines {
  private static final long serialVersionUID = 1L;

  @Override
  public String success(BatchRecord record, String body, String requestId) {
    return OutputLine.success(record.recordId, record.modelInput, body);
  }

  @Override
  public String failure(BatchRecord record, int statusCode, String message) {
    return OutputLine.error(record.recordId, record.modelInput, statusCode, message);
  }

  @Override
  public String invalid(BatchRecord record) {
    return OutputLine.error(
        record.recordId, record.modelInput, record.errorCode, record.errorMessage);
  }
}
