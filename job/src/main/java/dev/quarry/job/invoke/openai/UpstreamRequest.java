package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One request to an OpenAI-compatible server.
 *
 * @param path the operation's path under the base URL: {@code /chat/completions} or {@code
 *     /embeddings}
 * @param body the JSON body
 */
record UpstreamRequest(String path, ObjectNode body) {
  static final String CHAT_COMPLETIONS = "/chat/completions";
  static final String EMBEDDINGS = "/embeddings";

  UpstreamRequest {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
  }
}
