package dev.quarry.controlplane.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.job.io.InputFiles;
import dev.quarry.job.io.InputObjects;
import dev.quarry.job.io.S3Settings;
import dev.quarry.job.listing.ValidatedFile;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * The {@code Validating} step: the input exists and is readable, it holds {@code .jsonl} objects,
 * record count and sizes are within the quotas, each file is JSON Lines (at least one of its first
 * lines is a JSON object: {@link JsonLinesSample}), and the output bucket is reachable. Every
 * failure says exactly what is wrong and where.
 *
 * <p>The files are {@link InputFiles}; the listing validated, each file with its record count, is
 * what the job's source then reads (stored by the caller), so the count is the job's.
 *
 * <p>Like Bedrock it does not check {@code modelInput} against the model: a bad record becomes that
 * record's error line. It counts the records, which gives Get its {@code totalRecordCount}.
 *
 * <p>A failure to reach S3 names the endpoint this control plane uses and what kind of failure it
 * was ({@link S3FailureKind}), never the S3 client's own text: that can carry bucket policies,
 * request ids and, for a bad line, the content of someone else's object.
 */
public final class InputValidator {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Input files read at once while validating: on S3 each costs a request of 20-50 ms. */
  static final int READ_THREADS = 16;

  private final ControlPlaneConfig.Quotas quotas;
  private final String s3Name;

  public InputValidator(ControlPlaneConfig.Quotas quotas, S3Settings s3) {
    this.quotas = quotas;
    this.s3Name =
        s3.endpoint() == null || s3.endpoint().isBlank() ? "AWS S3" : "S3 at " + s3.endpoint();
  }

  public InputCheck validate(String inputUri, String outputUri) {
    try {
      List<FileStatus> files = InputFiles.list(new Path(inputUri));
      if (files.isEmpty()) {
        return InputCheck.failed(
            "No .jsonl objects found at "
                + inputUri
                + ": the input is one .jsonl object or a prefix holding .jsonl objects");
      }
      // Sizes come with the listing; only files within the byte quotas are read.
      int readable = 0;
      String sizeProblem = null;
      long totalBytes = 0;
      for (FileStatus file : files) {
        if (file.getLen() > quotas.maxFileBytes()) {
          sizeProblem =
              file.getPath()
                  + " is "
                  + file.getLen()
                  + " bytes, over the limit of "
                  + quotas.maxFileBytes()
                  + " bytes per input file";
          break;
        }
        totalBytes += file.getLen();
        if (totalBytes > quotas.maxJobBytes()) {
          sizeProblem =
              "Input under "
                  + inputUri
                  + " is over "
                  + quotas.maxJobBytes()
                  + " bytes, the limit per job";
          break;
        }
        readable++;
      }
      List<FileVerdict> counts = countInParallel(files.subList(0, readable));
      // In listing order, so the failure reported is the first one, as if the files were read one
      // by one.
      long totalRecords = 0;
      List<ValidatedFile> validated = new ArrayList<>(readable);
      for (int i = 0; i < readable; i++) {
        FileVerdict count = counts.get(i);
        if (count.rejection() != null) {
          return InputCheck.failed(count.rejection());
        }
        if (count.records() > quotas.maxRecordsPerFile()) {
          return InputCheck.failed(
              files.get(i).getPath()
                  + " has "
                  + count.records()
                  + " records, over the limit of "
                  + quotas.maxRecordsPerFile()
                  + " per input file");
        }
        totalRecords += count.records();
        FileStatus file = files.get(i);
        validated.add(
            new ValidatedFile(
                file.getPath().toString(),
                file.getLen(),
                file.getModificationTime(),
                count.records()));
        if (totalRecords > quotas.maxRecordsPerJob()) {
          return InputCheck.failed(
              "Input under "
                  + inputUri
                  + " has over "
                  + quotas.maxRecordsPerJob()
                  + " records, the limit per job");
        }
      }
      if (sizeProblem != null) {
        return InputCheck.failed(sizeProblem);
      }
      String outputProblem = checkOutput(outputUri);
      if (outputProblem != null) {
        return InputCheck.failed(outputProblem);
      }
      return InputCheck.ok(validated);
    } catch (FileNotFoundException e) {
      return InputCheck.failed(
          "Input " + inputUri + " does not exist: no object or prefix has that name");
    } catch (IOException | RuntimeException e) {
      return InputCheck.failed(
          "Cannot read input " + inputUri + " from " + s3Name + ": " + S3FailureKind.of(e));
    }
  }

  /** A file's record count (non-blank lines), or why it is not JSON Lines. */
  private record FileVerdict(long records, String rejection) {}

  /**
   * Counts every file's records, {@link #READ_THREADS} files at a time: each file costs a request
   * ({@link InputObjects}: one GET, the size being known from the listing), and one after the other
   * thousands of small files would take most of a job's time.
   */
  private List<FileVerdict> countInParallel(List<FileStatus> files) throws IOException {
    if (files.size() <= 1) {
      List<FileVerdict> counts = new ArrayList<>();
      for (FileStatus f : files) {
        counts.add(countRecords(f));
      }
      return counts;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(READ_THREADS, files.size()),
            r -> {
              Thread t = new Thread(r, "quarry-validation-read");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<FileVerdict>> running = new ArrayList<>(files.size());
      for (FileStatus f : files) {
        running.add(pool.submit(() -> countRecords(f)));
      }
      List<FileVerdict> counts = new ArrayList<>(files.size());
      for (Future<FileVerdict> f : running) {
        counts.add(f.get());
      }
      return counts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while reading the input", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private FileVerdict countRecords(FileStatus listed) throws IOException {
    Path file = listed.getPath();
    long records = 0;
    long lineNumber = 0;
    JsonLinesSample sample = new JsonLinesSample(quotas.sampleLines());
    InputStream opened = InputObjects.open(file, listed.getLen(), 0);
    try (InputStream in =
        opened instanceof ByteArrayInputStream
            ? opened
            : new BufferedInputStream(opened, 1 << 16)) {
      BoundedLine line = new BoundedLine(JUDGED_BYTES);
      while (line.readFrom(in)) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        records++;
        if (!sample.full()) {
          sample.add(lineNumber, jsonProblem(line, lineNumber == 1));
        }
      }
    }
    return new FileVerdict(records, sample.rejection(file.toString()).orElse(null));
  }

  /**
   * Whether the output bucket exists: S3A answers for a bucket's root without asking S3, so this
   * looks up the output path itself, where "no such key" is fine and "no such bucket" is not.
   */
  private String checkOutput(String outputUri) {
    Path out = new Path(outputUri);
    try {
      out.getFileSystem().getFileStatus(out);
      return null;
    } catch (FileNotFoundException e) {
      return null; // the bucket is there, the prefix not yet
    } catch (IOException e) {
      return "Cannot write output " + outputUri + " to " + s3Name + ": " + S3FailureKind.of(e);
    }
  }

  /** Longest line judged here: enough to tell JSON from not; longer ones the job judges. */
  private static final int JUDGED_BYTES = 1 << 20;

  /** Why {@code line} is not a JSON object, or null when it is (or is too long to judge here). */
  private static String jsonProblem(BoundedLine line, boolean firstLine) {
    if (line.truncated()) {
      return null; // too long to judge here; the job reports it as that record's error line
    }
    String text;
    try {
      text = line.text(firstLine);
    } catch (CharacterCodingException e) {
      return "not valid UTF-8";
    }
    try {
      var node = JSON.readTree(text);
      return node != null && node.isObject() ? null : "not a JSON object";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // where, never Jackson's text: it quotes the offending token, and messages do not echo input
      return e.getLocation() == null
          ? "not valid JSON"
          : "not valid JSON at character " + e.getLocation().getColumnNr();
    } catch (IOException e) {
      return "not valid JSON";
    }
  }
}
