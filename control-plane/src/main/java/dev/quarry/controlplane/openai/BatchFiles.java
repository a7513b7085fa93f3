package dev.quarry.controlplane.openai;

import dev.quarry.job.io.OutputNaming;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Where the OpenAI Batch API keeps content, under {@code quarry.openai.files-uri}, one folder per
 * account: uploads at {@code <uri><account>/files/<file-id>.jsonl} (the {@code .jsonl} a job
 * reads), batch outputs under {@code <uri><account>/batches/<job-id>/} as the job writes them. Read
 * and written with the file systems this control plane set up for S3.
 */
final class BatchFiles {
  private final String filesUri;

  BatchFiles(String filesUri) {
    this.filesUri = filesUri.endsWith("/") ? filesUri : filesUri + "/";
  }

  /** Where an uploaded file's content goes. */
  String inputUri(String account, String fileId) {
    return filesUri + account + "/files/" + fileId + ".jsonl";
  }

  /** The output URI of the account's batch jobs; each writes into its job id's folder below. */
  String outputUri(String account) {
    return filesUri + account + "/batches/";
  }

  /** Where a batch's job writes its answers and its error lines. */
  OutputNaming naming(String account, String inputFileId, String jobId) {
    return new OutputNaming(inputUri(account, inputFileId), outputUri(account) + jobId + "/");
  }

  /** Writes {@code content} to {@code uri}, replacing what is there; the bytes written. */
  static long write(String uri, InputStream content) throws IOException {
    Path path = new Path(uri);
    long bytes;
    try (FSDataOutputStream out =
        path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
      bytes = content.transferTo(out);
    }
    return bytes;
  }

  /** Streams {@code uri}'s content into {@code out}. */
  static void copy(String uri, OutputStream out) throws IOException {
    Path path = new Path(uri);
    try (InputStream in = path.getFileSystem().open(path)) {
      in.transferTo(out);
    }
  }

  static InputStream open(String uri) throws IOException {
    Path path = new Path(uri);
    return path.getFileSystem().open(path);
  }

  /** The size of the object at {@code uri}, or empty when there is none. */
  static Optional<Long> size(String uri) throws IOException {
    Path path = new Path(uri);
    try {
      FileStatus status = path.getFileSystem().getFileStatus(path);
      return status.isDir() ? Optional.empty() : Optional.of(status.getLen());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  static void delete(String uri) throws IOException {
    Path path = new Path(uri);
    path.getFileSystem().delete(path, false);
  }
}
