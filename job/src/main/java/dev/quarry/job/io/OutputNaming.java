package dev.quarry.job.io;

import java.io.Serializable;
import org.apache.flink.core.fs.Path;

/**
 * Bedrock's output names: {@code <outputUri>/<jobId>/<input file name>.out}; a file found under a
 * nested folder of the input prefix keeps its path relative to that prefix, so two inputs with the
 * same name in different folders never write to the same output.
 */
public final class OutputNaming implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String OUTPUT_SUFFIX = ".out";
  public static final String MANIFEST_NAME = "manifest.json.out";

  /** What an input's error lines are called, after its relative name, where they have a file. */
  public static final String ERRORS_SUFFIX = ".errors.out";

  private final String inputPath;
  private final String jobOutputUri;

  /**
   * @param inputUri the job's input object or prefix
   * @param jobOutputUri the job's output folder, {@code <outputUri>/<jobId>/}
   */
  public OutputNaming(String inputUri, String jobOutputUri) {
    this.inputPath = trimSlashes(new Path(inputUri).toUri().getPath());
    this.jobOutputUri = jobOutputUri.endsWith("/") ? jobOutputUri : jobOutputUri + "/";
  }

  /** The input file's name relative to the input prefix, e.g. {@code nested/b.jsonl}. */
  public String relativeName(String inputFile) {
    Path file = new Path(inputFile);
    String path = trimSlashes(file.toUri().getPath());
    String prefix = inputPath.endsWith("/") ? inputPath : inputPath + "/"; // "/" for a bucket root
    if (!path.equals(inputPath) && path.startsWith(prefix)) {
      return path.substring(prefix.length());
    }
    return file.getName();
  }

  /** Where the output of {@code inputFile} goes. */
  public Path outputPath(String inputFile) {
    return new Path(jobOutputUri + relativeName(inputFile) + OUTPUT_SUFFIX);
  }

  /**
   * Where the error lines of {@code inputFile} go, for a record format that keeps them apart from
   * the answers (OpenAI batches).
   */
  public Path errorsPath(String inputFile) {
    return new Path(jobOutputUri + relativeName(inputFile) + ERRORS_SUFFIX);
  }

  /** Where the manifest goes. */
  public Path manifestPath() {
    return new Path(jobOutputUri + MANIFEST_NAME);
  }

  /** The job's output folder. */
  public Path jobOutputDir() {
    return new Path(jobOutputUri);
  }

  private static String trimSlashes(String path) {
    String p = path == null ? "" : path;
    while (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
