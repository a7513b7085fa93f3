package dev.quarry.job.invoke.openai;

import dev.quarry.job.invoke.InvalidModelInputException;

/**
 * A {@code modelInput} that is valid for Bedrock but holds something chat completions cannot carry
 * (a document block, tools, guardrails); the record gets a 400 error line saying what and where.
 */
public final class UntranslatableInputException extends InvalidModelInputException {
  private static final long serialVersionUID = 1L;

  UntranslatableInputException(String where, String what) {
    super(
        where
            + ": "
            + what
            + " cannot be sent to an OpenAI-compatible model server (chat completions has no"
            + " equivalent); send this record to Bedrock, or remove it");
  }
}
