package dev.quarry.controlplane.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.job.io.JsonlFileEnumerator;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The {@code Validating} step: the input exists and is readable, it holds {@code .jsonl} objects,
 * record count and sizes are within the quotas, the first lines of each file are JSON, and the
 * output bucket is reachable. Every failure says exactly what is wrong and where.
 *
 * <p>Like Bedrock it does not check {@code modelInput} against the model: a bad record becomes that
 * record's error line. It counts the records, which gives Get its {@code totalRecordCount}.
 */
public final class InputValidator {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Input files read at once while validating: on S3 each costs two requests of 20-50 ms. */
  static final int READ_THREADS = 16;

  private final ControlPlaneConfig.Quotas quotas;

  public InputValidator(ControlPlaneConfig.Quotas quotas) {
    this.quotas = quotas;
  }

  public InputCheck validate(String inputUri, String outputUri) {
    try {
      List<FileStatus> files = inputFiles(inputUri);
      if (files.isEmpty()) {
        return InputCheck.failed("No .jsonl objects found under " + inputUri);
      }
      // Sizes come with the listing; only files within the byte quotas are read.
      int readable = 0;
      String sizeProblem = null;
      long totalBytes = 0;
      for (FileStatus file : files) {
        if (file.getLen() > quotas.maxFileBytes()) {
          sizeProblem = file.getPath() + " is " + file.getLen() + " bytes, over the limit of "
              + quotas.maxFileBytes() + " bytes per input file";
          break;
        }
        totalBytes += file.getLen();
        if (totalBytes > quotas.maxJobBytes()) {
          sizeProblem = "Input under " + inputUri + " is over " + quotas.maxJobBytes()
              + " bytes, the limit per job";
          break;
        }
        readable++;
      }
      List<FileCount> counts = countInParallel(files.subList(0, readable));
      // In listing order, so the failure reported is the first one, as if the files were read one by one.
      long totalRecords = 0;
      for (int i = 0; i < readable; i++) {
        FileCount count = counts.get(i);
        if (count.problem() != null) {
          return InputCheck.failed(count.problem());
        }
        if (count.records() > quotas.maxRecordsPerFile()) {
          return InputCheck.failed(files.get(i).getPath() + " has " + count.records() + " records, over the limit of "
              + quotas.maxRecordsPerFile() + " per input file");
        }
        totalRecords += count.records();
        if (totalRecords > quotas.maxRecordsPerJob()) {
          return InputCheck.failed("Input under " + inputUri + " has over " + quotas.maxRecordsPerJob()
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
      return InputCheck.ok(totalRecords);
    } catch (FileNotFoundException e) {
      return InputCheck.failed("Input " + inputUri + " does not exist: no object or prefix has that name");
    } catch (IOException | RuntimeException e) {
      return InputCheck.failed("Cannot read input " + inputUri + ": " + e.getMessage());
    }
  }

  /** A file's record count, or what is wrong with its first lines. */
  private record FileCount(long records, String problem) {}

  /**
   * Counts every file's records, {@link #READ_THREADS} files at a time: each file costs two requests
   * (S3A probes before it reads), and one after the other thousands of small files would take most of
   * a job's time.
   */
  private List<FileCount> countInParallel(List<FileStatus> files) throws IOException {
    if (files.size() <= 1) {
      List<FileCount> counts = new ArrayList<>();
      for (FileStatus f : files) {
        counts.add(countRecords(f.getPath()));
      }
      return counts;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(READ_THREADS, files.size()), r -> {
      Thread t = new Thread(r, "quarry-validation-read");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<FileCount>> running = new ArrayList<>(files.size());
      for (FileStatus f : files) {
        running.add(pool.submit(() -> countRecords(f.getPath())));
      }
      List<FileCount> counts = new ArrayList<>(files.size());
      for (Future<FileCount> f : running) {
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

  private static List<FileStatus> inputFiles(String inputUri) throws IOException {
    Path root = new Path(inputUri);
    FileSystem fs = root.getFileSystem();
    FileStatus status = fs.getFileStatus(root);
    List<FileStatus> files = new ArrayList<>();
    if (!status.isDir()) {
      if (!JsonlFileEnumerator.isInputFile(root.getName())) {
        throw new IOException(inputUri + " is not a .jsonl object");
      }
      files.add(status);
      return files;
    }
    collect(fs, root, files);
    return files;
  }

  private static void collect(FileSystem fs, Path dir, List<FileStatus> files) throws IOException {
    FileStatus[] entries = fs.listStatus(dir);
    if (entries == null) {
      return;
    }
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue; // hidden, as the job's own enumerator skips them
      }
      if (entry.isDir()) {
        collect(fs, entry.getPath(), files);
      } else if (JsonlFileEnumerator.isInputFile(name)) {
        files.add(entry);
      }
    }
  }

  /** Counts non-blank lines and checks the first ones are JSON objects. */
  private FileCount countRecords(Path file) throws IOException {
    long records = 0;
    long lineNumber = 0;
    try (InputStream in = new BufferedInputStream(file.getFileSystem().open(file), 1 << 16)) {
      LineBuffer line = new LineBuffer();
      while (line.readFrom(in)) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        records++;
        if (records <= quotas.sampleLines()) {
          String problem = line.jsonProblem(lineNumber == 1);
          if (problem != null) {
            return new FileCount(-1, file + " line " + lineNumber + ": " + problem);
          }
        }
      }
    }
    return new FileCount(records, null);
  }

  private static String checkOutput(String outputUri) {
    Path out = new Path(outputUri);
    Path bucket = new Path(out.toUri().getScheme() + "://" + out.toUri().getAuthority() + "/");
    try {
      bucket.getFileSystem().getFileStatus(bucket);
      return null;
    } catch (IOException e) {
      return "Output bucket " + bucket + " does not exist or cannot be reached: " + e.getMessage();
    }
  }

  /** One line's first bytes (enough to judge it), its blankness, and whether it parses. */
  private static final class LineBuffer {
    private static final int KEEP = 1 << 20;
    private byte[] bytes = new byte[4096];
    private int length;
    private boolean truncated;
    private boolean blank;

    boolean readFrom(InputStream in) throws IOException {
      length = 0;
      truncated = false;
      blank = true;
      int b;
      boolean any = false;
      while ((b = in.read()) >= 0) {
        any = true;
        if (b == '\n') {
          return true;
        }
        if (b != ' ' && b != '\t' && b != '\r') {
          blank = false;
        }
        if (length < KEEP) {
          if (length == bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
          }
          bytes[length++] = (byte) b;
        } else {
          truncated = true;
        }
      }
      return any;
    }

    boolean isBlank() {
      return blank;
    }

    String jsonProblem(boolean firstLine) {
      if (truncated) {
        return null; // too long to judge here; the job reports it as that record's error line
      }
      int start = firstLine && length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
          && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, start, length - start)).toString();
      } catch (CharacterCodingException e) {
        return "not valid UTF-8";
      }
      try {
        var node = JSON.readTree(text);
        return node != null && node.isObject() ? null : "not a JSON object";
      } catch (IOException e) {
        return "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")";
      }
    }
  }
}
