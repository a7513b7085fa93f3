package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.store.OpenAiFileRecord;

/**
 * The {@code file} object of OpenAI's API: {@code id}, {@code object}, {@code bytes}, {@code
 * created_at} (Unix seconds), {@code filename}, {@code purpose}, and the deprecated {@code status}
 * ({@code processed}: Quarry keeps a file whole once stored) and {@code status_details}. Files do
 * not expire, so {@code expires_at} is null.
 */
final class FileView {
  private FileView() {}

  static ObjectNode of(OpenAiFileRecord file) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", file.fileId());
    o.put("object", "file");
    o.put("bytes", file.bytes());
    o.put("created_at", file.createdAt().getEpochSecond());
    o.putNull("expires_at");
    o.put("filename", file.filename());
    o.put("purpose", file.purpose());
    o.put("status", "processed");
    o.putNull("status_details");
    return o;
  }
}
