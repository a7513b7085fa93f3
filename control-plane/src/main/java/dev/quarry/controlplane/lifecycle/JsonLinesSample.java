package dev.quarry.controlplane.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The verdict on a file's first non-blank lines: it is JSON Lines unless none of them is a JSON
 * object. A few broken lines are that record's error lines when the job runs; only a file that is
 * evidently something else (CSV, a pretty-printed JSON document, binary) fails validation.
 */
final class JsonLinesSample {
  /** Problems named in a rejection; the rest are counted, not listed. */
  private static final int PROBLEMS_SHOWN = 3;

  private final int size;
  private int seen;
  private boolean anyObject;
  private final List<String> problems = new ArrayList<>();

  JsonLinesSample(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("sample size must be at least 1, got " + size);
    }
    this.size = size;
  }

  /** Whether the sample has all the lines it judges by. */
  boolean full() {
    return seen >= size;
  }

  /**
   * Adds a non-blank line's verdict: {@code problem} is {@code null} when the line is a JSON
   * object.
   */
  void add(long lineNumber, String problem) {
    seen++;
    if (problem == null) {
      anyObject = true;
    } else if (problems.size() < PROBLEMS_SHOWN) {
      problems.add("line " + lineNumber + ": " + problem);
    }
  }

  /** Why {@code file} is not JSON Lines, or empty when it is (or has no lines to judge). */
  Optional<String> rejection(String file) {
    if (anyObject || seen == 0) {
      return Optional.empty();
    }
    String lines =
        seen == 1
            ? "its only non-blank line is not"
            : "none of its first " + seen + " non-blank lines is";
    return Optional.of(
        file
            + " is not JSON Lines: "
            + lines
            + " a JSON object ("
            + String.join("; ", problems)
            + (seen > problems.size() ? "; …" : "")
            + ")");
  }
}
