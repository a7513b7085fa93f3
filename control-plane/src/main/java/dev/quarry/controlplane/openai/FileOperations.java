package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.store.JdbcOpenAiStore;
import dev.quarry.controlplane.store.OpenAiFileRecord;
import dev.quarry.controlplane.store.OpenAiPage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;

/**
 * {@code /v1/files}: upload, get, list, delete and content of the caller's account's files. Another
 * account's file answers 404, as a file that does not exist.
 */
final class FileOperations {
  /** Uploaded batch input. */
  static final String BATCH = "batch";

  /** A batch's output or error file. */
  static final String BATCH_OUTPUT = "batch_output";

  private final JdbcOpenAiStore store;
  private final BatchFiles files;
  private final Clock clock;

  FileOperations(JdbcOpenAiStore store, BatchFiles files, Clock clock) {
    this.store = store;
    this.files = files;
    this.clock = clock;
  }

  /** {@code POST /v1/files}: stores {@code content} as a new file of the key's account. */
  ObjectNode upload(AccessKey key, String filename, String purpose, InputStream content)
      throws IOException {
    if (purpose == null || purpose.isEmpty()) {
      throw OpenAiException.missing("purpose");
    }
    if (!purpose.equals(BATCH)) {
      throw OpenAiException.invalid(
          "Invalid value: '"
              + purpose
              + "'. Quarry stores files for the Batch API only: purpose must be 'batch'.",
          "purpose",
          "invalid_value");
    }
    String fileId = OpenAiIds.newFileId();
    String uri = files.inputUri(key.account(), fileId);
    long bytes = BatchFiles.write(uri, content);
    OpenAiFileRecord file =
        new OpenAiFileRecord(fileId, key.account(), filename, purpose, bytes, clock.instant(), uri);
    store.insertFile(file);
    return FileView.of(file);
  }

  /** {@code GET /v1/files/{id}}. */
  ObjectNode get(AccessKey key, String fileId) {
    return FileView.of(find(key, fileId));
  }

  /** The key's account's file, or the 404 of a file that does not exist. */
  OpenAiFileRecord find(AccessKey key, String fileId) {
    return store
        .findFile(key.account(), fileId)
        .orElseThrow(() -> OpenAiException.notFound("No such File object: " + fileId, "id"));
  }

  /** {@code GET /v1/files} with {@code purpose}, {@code limit}, {@code order}, {@code after}. */
  ObjectNode list(AccessKey key, Map<String, String> query) {
    int limit = OpenAiLists.limit(query, 10_000, 10_000);
    String order = query.getOrDefault("order", "desc");
    if (!order.equals("asc") && !order.equals("desc")) {
      throw OpenAiException.notOneOf("order", order, "asc", "desc");
    }
    String after = query.get("after");
    OpenAiPage<OpenAiFileRecord> page =
        store
            .listFiles(key.account(), query.get("purpose"), after, limit, order.equals("asc"))
            .orElseThrow(() -> OpenAiException.notFound("No such File object: " + after, "after"));
    return OpenAiLists.of(page.items().stream().map(FileView::of).toList(), page.hasMore());
  }

  /**
   * {@code DELETE /v1/files/{id}}: the file and its content. The input of a batch that has not
   * ended is kept (its job reads it): a 409.
   */
  ObjectNode delete(AccessKey key, String fileId) throws IOException {
    OpenAiFileRecord file = find(key, fileId);
    if (store.fileInUse(key.account(), fileId)) {
      throw new OpenAiException(
          409,
          OpenAiException.INVALID_REQUEST,
          "File " + fileId + " is the input of a batch that has not ended; delete it after.",
          "file_id",
          "file_in_use");
    }
    if (store.deleteFile(key.account(), fileId)) {
      BatchFiles.delete(file.s3Uri());
    }
    ObjectNode deleted = JsonNodeFactory.instance.objectNode();
    deleted.put("id", fileId);
    deleted.put("object", "file");
    deleted.put("deleted", true);
    return deleted;
  }
}
