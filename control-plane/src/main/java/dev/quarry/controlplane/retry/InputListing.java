package dev.quarry.controlplane.retry;

import dev.quarry.job.io.InputFiles;
import dev.quarry.job.io.OutputNaming;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.Path;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The files a job read from its input URI, found with the S3 client: the input object itself, or
 * every object under the prefix that {@link InputFiles} counts as input.
 */
final class InputListing {
  private final S3Client s3;

  InputListing(S3Client s3) {
    this.s3 = s3;
  }

  List<InputFile> list(String inputUri, OutputNaming naming) {
    S3Location input = S3Location.parse(inputUri);
    if (!input.key().isEmpty() && !input.key().endsWith("/") && exists(input)) {
      if (!InputFiles.isInputFile(input.name())) {
        throw new RetryException("Input " + inputUri + " is not a .jsonl object");
      }
      return List.of(file(input, naming));
    }
    S3Location folder = input.asFolder();
    List<InputFile> files = new ArrayList<>();
    for (S3Object object :
        s3.listObjectsV2Paginator(b -> b.bucket(folder.bucket()).prefix(folder.key())).contents()) {
      String relative = object.key().substring(folder.key().length());
      if (InputFiles.isInputPath(relative)) {
        files.add(file(new S3Location(folder.scheme(), folder.bucket(), object.key()), naming));
      }
    }
    if (files.isEmpty()) {
      throw new RetryException("No .jsonl objects found under the job's input " + inputUri);
    }
    return files;
  }

  private static InputFile file(S3Location location, OutputNaming naming) {
    // The job names a file by the Flink path its enumerator found, and derives generated ids from
    // it.
    String jobPath = new Path(location.uri()).toString();
    return new InputFile(location, jobPath, naming.relativeName(jobPath));
  }

  private boolean exists(S3Location object) {
    try {
      s3.headObject(b -> b.bucket(object.bucket()).key(object.key()));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
