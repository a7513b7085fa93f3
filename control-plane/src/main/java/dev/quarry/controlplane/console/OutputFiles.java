package dev.quarry.controlplane.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The committed files of a job's output folder ({@code <outputUri>/<jobId>/}), read with the file
 * systems this control plane set up for S3. In-progress and temporary files of the sink (names
 * starting with "." or "_") are not outputs.
 */
final class OutputFiles {
  /** A file by its name relative to the job's output folder, e.g. {@code nested/b.jsonl.out}. */
  record OutputFile(String name, long bytes) {}

  private OutputFiles() {}

  static String folderOf(String outputUri, String jobId) {
    return (outputUri.endsWith("/") ? outputUri : outputUri + "/") + jobId + "/";
  }

  /** The folder's files, by name; empty when the folder does not exist (yet). */
  static List<OutputFile> list(String folder) throws IOException {
    Path root = new Path(folder);
    FileSystem fs = root.getFileSystem();
    List<OutputFile> out = new ArrayList<>();
    collect(fs, root, "", out);
    out.sort(Comparator.comparing(OutputFile::name));
    return out;
  }

  private static void collect(FileSystem fs, Path dir, String prefix, List<OutputFile> out)
      throws IOException {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir);
    } catch (java.io.FileNotFoundException e) {
      return;
    }
    if (entries == null) {
      return;
    }
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (entry.isDir()) {
        collect(fs, entry.getPath(), prefix + name + "/", out);
      } else {
        out.add(new OutputFile(prefix + name, entry.getLen()));
      }
    }
  }

  /**
   * Opens the file called {@code name} if the folder lists it: only names the listing gave can be
   * read, so no name can reach outside the folder.
   */
  static Optional<Opened> open(String folder, String name) throws IOException {
    for (OutputFile file : list(folder)) {
      if (file.name().equals(name)) {
        return Optional.of(new Opened(file, read(folder, file)));
      }
    }
    return Optional.empty();
  }

  /** Reads a file that {@link #list} gave for {@code folder}. */
  static InputStream read(String folder, OutputFile file) throws IOException {
    Path path = new Path(folder + file.name());
    return path.getFileSystem().open(path);
  }

  /** An output file opened for reading. */
  record Opened(OutputFile file, InputStream content) {}
}
