package dev.quarry.controlplane.launch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The failure of a job on a remote cluster in one line, from {@code GET /jobs/:jobid/exceptions}:
 * the newest entry of {@code exceptionHistory} (Flink 2.x no longer sends {@code root-exception}),
 * its exception and each cause that adds something, so that e.g. the S3 endpoint a refused
 * connection went to, named only deep in the chain, reaches the job's {@code message}.
 */
final class FlinkFailureCause {
  static final String UNKNOWN = "the Flink job failed";
  private static final int MAX_LENGTH = 1500;
  private static final String CAUSED_BY = "Caused by: ";

  private FlinkFailureCause() {}

  static String from(JsonNode exceptions) {
    if (exceptions == null) {
      return UNKNOWN;
    }
    JsonNode newest = exceptions.path("exceptionHistory").path("entries").path(0);
    String trace = newest.path("stacktrace").asText("");
    if (trace.isBlank()) {
      trace = exceptions.path("root-exception").asText(""); // Flink 1.x
    }
    if (trace.isBlank()) {
      String name = newest.path("exceptionName").asText("");
      return name.isBlank() ? UNKNOWN : name;
    }
    return summarize(trace);
  }

  /**
   * The trace's first line and its {@code Caused by:} lines, without package names or repeated
   * text.
   */
  static String summarize(String trace) {
    List<String> parts = new ArrayList<>();
    StringBuilder seen = new StringBuilder();
    boolean first = true;
    for (String line : trace.lines().toList()) {
      if (!first && !line.startsWith(CAUSED_BY)) {
        continue;
      }
      String throwable = first ? line.trim() : line.substring(CAUSED_BY.length()).trim();
      first = false;
      String simple = withoutPackage(throwable);
      int colon = simple.indexOf(": ");
      String text = colon < 0 ? "" : simple.substring(colon + 2).trim();
      if (!parts.isEmpty() && (text.isEmpty() || seen.indexOf(text) >= 0)) {
        continue; // a wrapper that only repeats what an outer exception already said
      }
      parts.add(simple);
      seen.append(simple).append('\n');
    }
    String out = S3ErrorText.redact(String.join("; caused by ", parts));
    return out.length() <= MAX_LENGTH ? out : out.substring(0, MAX_LENGTH) + "…";
  }

  /** {@code org.apache.x.FooException: msg} → {@code FooException: msg}. */
  private static String withoutPackage(String throwable) {
    int colon = throwable.indexOf(':');
    String type = colon < 0 ? throwable : throwable.substring(0, colon);
    if (type.contains(" ")) {
      return throwable; // not "ClassName: message"
    }
    return type.substring(type.lastIndexOf('.') + 1)
        + (colon < 0 ? "" : throwable.substring(colon));
  }
}
