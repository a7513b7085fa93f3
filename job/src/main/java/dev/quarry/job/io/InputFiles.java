package dev.quarry.job.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The input of a job, as both validation and the job's source see it: the one {@code .jsonl} object
 * an input URI names, or every {@code .jsonl} object under the prefix it names, recursively,
 * whatever the names of the objects and folders on the way. Bedrock documents no hidden-name rule,
 * so none applies here (Flink's default filter skips {@code _x} and {@code .x}; a job under {@code
 * run/_staging/} read nothing while validation counted its records).
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * Whether an object is input to a batch job, as Bedrock decides it: by the {@code .jsonl}
   * extension.
   */
  public static boolean isInputFile(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".jsonl");
  }

  /**
   * Whether an object under the input prefix, named by its path relative to that prefix (e.g.
   * {@code 2024/part-0.jsonl}), is input: for tools that list the input with an S3 client rather
   * than Flink's file systems, so they pick the files {@link #list} does.
   */
  public static boolean isInputPath(String relativePath) {
    return isInputFile(relativePath.substring(relativePath.lastIndexOf('/') + 1));
  }

  /**
   * Lists the input files under {@code root} in path order.
   *
   * @throws java.io.FileNotFoundException when no object or prefix has that name
   */
  public static List<FileStatus> list(Path root) throws IOException {
    FileSystem fs = root.getFileSystem();
    FileStatus status = fs.getFileStatus(root);
    List<FileStatus> files = new ArrayList<>();
    if (status.isDir()) {
      collect(fs, status.getPath(), files);
    } else if (isInputFile(root.getName())) {
      files.add(status);
    }
    files.sort(Comparator.comparing(f -> f.getPath().toString()));
    return files;
  }

  private static void collect(FileSystem fs, Path dir, List<FileStatus> files) throws IOException {
    FileStatus[] entries = fs.listStatus(dir);
    if (entries == null) {
      return;
    }
    for (FileStatus entry : entries) {
      if (entry.isDir()) {
        collect(fs, entry.getPath(), files);
      } else if (isInputFile(entry.getPath().getName())) {
        files.add(entry);
      }
    }
  }
}
