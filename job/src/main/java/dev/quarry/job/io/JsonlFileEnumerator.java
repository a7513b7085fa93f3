package dev.quarry.job.io;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.DefaultFileFilter;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds every {@code .jsonl} object under the input prefix, recursively, one split per file.
 *
 * <p>The extension check sits here rather than in the path filter because the filter also sees
 * folders, and rejecting those would stop the recursion. Hidden names ({@code .x}, {@code _x}) are
 * skipped as in Flink's default filter, so in-progress files never count as input.
 */
public final class JsonlFileEnumerator extends NonSplittingRecursiveEnumerator {

  public JsonlFileEnumerator() {
    super(new DefaultFileFilter());
  }

  /** Whether a file name is input to a batch job, as Bedrock decides it: by the {@code .jsonl} extension. */
  public static boolean isInputFile(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".jsonl");
  }

  /**
   * Whether an object found under the input prefix, named by its path relative to that prefix (e.g.
   * {@code 2024/part-0.jsonl}), is input to the job: for tools that list the input without Flink's
   * file systems, so they pick the same files this enumerator does.
   */
  public static boolean isInputPath(String relativePath) {
    DefaultFileFilter visible = new DefaultFileFilter();
    String[] segments = relativePath.split("/");
    for (String segment : segments) {
      if (!segment.isEmpty() && !visible.test(new Path(segment))) {
        return false;
      }
    }
    return isInputFile(segments[segments.length - 1]);
  }

  @Override
  protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target)
      throws IOException {
    if (isInputFile(file.getPath().getName())) {
      super.convertToSourceSplits(file, fs, target);
    }
  }
}
