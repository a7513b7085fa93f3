package dev.quarry.controlplane.lifecycle;

import dev.quarry.job.io.InputFiles;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.io.OutputNaming;
import dev.quarry.job.listing.ValidatedFile;
import dev.quarry.job.spec.JobSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence before {@code Completed}: a job whose manifest says it processed fewer
 * records than it had is not complete, whatever Flink says (an input object that vanished after
 * validation, or a reader that skipped one, would otherwise end as a silent success).
 */
final class CompletionCheck {
  private static final Logger LOG = LoggerFactory.getLogger(CompletionCheck.class);

  /** Input files named in a failure message; the message has a bounded length. */
  private static final int FILES_NAMED = 5;

  private CompletionCheck() {}

  /**
   * Why a job that ran to its end did not process every record, or empty when it did (or when its
   * manifest cannot be read, which proves nothing either way).
   *
   * @param validated the files validation counted for the job (read only if records are missing);
   *     empty for a job validated before listings were kept, whose input is then listed again
   */
  static Optional<String> shortfall(JobSpec spec, Supplier<List<ValidatedFile>> validated) {
    OutputNaming naming = new OutputNaming(spec.inputUri(), spec.jobOutputUri());
    Manifest manifest;
    try {
      manifest = Manifest.fromJson(read(naming.manifestPath()));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Job {}: cannot read its manifest {} to check it is complete",
          spec.jobId(),
          naming.manifestPath(),
          e);
      return Optional.empty();
    }
    long missed = manifest.totalRecordCount() - manifest.processedRecordCount();
    if (missed <= 0) {
      return Optional.empty();
    }
    StringBuilder message =
        new StringBuilder("The job ended having processed ")
            .append(manifest.processedRecordCount())
            .append(" of its ")
            .append(manifest.totalRecordCount())
            .append(" records: ")
            .append(missed)
            .append(missed == 1 ? " record was" : " records were")
            .append(" never read.");
    List<String> withoutOutput = inputsWithoutOutput(spec, naming, validated);
    if (!withoutOutput.isEmpty()) {
      message
          .append(" Input files with no output: ")
          .append(
              String.join(
                  ", ", withoutOutput.subList(0, Math.min(FILES_NAMED, withoutOutput.size()))))
          .append(
              withoutOutput.size() > FILES_NAMED
                  ? " and " + (withoutOutput.size() - FILES_NAMED) + " more"
                  : "")
          .append('.');
    }
    message
        .append(
            withoutOutput.isEmpty()
                ? " An input object changed or vanished after validation counted it."
                : "")
        .append(" The output written is kept.");
    return Optional.of(message.toString());
  }

  private static List<String> inputsWithoutOutput(
      JobSpec spec, OutputNaming naming, Supplier<List<ValidatedFile>> validated) {
    List<String> missing = new ArrayList<>();
    try {
      for (String input : inputs(spec, validated)) {
        Path output = naming.outputPath(input);
        if (!output.getFileSystem().exists(output)) {
          missing.add(input);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug(
          "Job {}: cannot look up its inputs' outputs to name what was missed", spec.jobId(), e);
    }
    return missing;
  }

  /** The files validation counted, as it stored them; else the input as it is listed now. */
  private static List<String> inputs(JobSpec spec, Supplier<List<ValidatedFile>> validated)
      throws IOException {
    List<ValidatedFile> stored = validated.get();
    if (!stored.isEmpty()) {
      return stored.stream().map(ValidatedFile::path).toList();
    }
    List<String> listed = new ArrayList<>();
    for (FileStatus input : InputFiles.list(new Path(spec.inputUri()))) {
      listed.add(input.getPath().toString());
    }
    return listed;
  }

  private static String read(Path path) throws IOException {
    try (InputStream in = path.getFileSystem().open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
