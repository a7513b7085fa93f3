package dev.quarry.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The benchmark's records: Claude Messages bodies, each prompt unique (so no two calls are alike),
 * written as JSONL objects the way a user would upload them.
 */
final class BenchRecords {
  private static final int UPLOAD_THREADS = 8;

  private BenchRecords() {}

  /** The {@code modelInput} of record {@code i}. */
  static String modelInput(String prefix, long i) {
    return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Summarize item "
        + prefix
        + "-"
        + i
        + " in one sentence.\"}]}";
  }

  /** One JSONL input line. */
  static String line(String prefix, long i) {
    return "{\"recordId\":\""
        + prefix
        + String.format("%010d", i)
        + "\",\"modelInput\":"
        + modelInput(prefix, i)
        + "}";
  }

  /**
   * Uploads {@code records} lines spread over {@code files} objects {@code <prefix>/part-NNN.jsonl}
   * and returns the input URI of the folder. Each object is built in memory, so keep {@code records
   * / files} to a few hundred thousand.
   */
  static String upload(S3Client s3, String bucket, String prefix, long records, int files) {
    long perFile = (records + files - 1) / files;
    long next = 0;
    for (int f = 0; f < files && next < records; f++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long end = Math.min(records, next + perFile);
      for (; next < end; next++) {
        out.writeBytes(line(prefix, next).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
      String key = prefix + "/part-" + String.format("%03d", f) + ".jsonl";
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(out.toByteArray()));
    }
    return "s3://" + bucket + "/" + prefix + "/";
  }

  /**
   * Uploads {@code files} objects {@code <prefix>/part-NNNNN.jsonl} of {@code recordsPerFile} lines
   * each, a few at a time (one by one, 10,000 uploads take longer than the job), and returns the
   * input URI of the folder.
   */
  static String uploadSmallFiles(
      S3Client s3, String bucket, String prefix, int files, int recordsPerFile) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(UPLOAD_THREADS);
    try {
      List<Future<?>> uploads = new ArrayList<>(files);
      for (int f = 0; f < files; f++) {
        int file = f;
        uploads.add(
            pool.submit(
                () -> {
                  ByteArrayOutputStream out = new ByteArrayOutputStream();
                  for (long i = (long) file * recordsPerFile;
                      i < (long) (file + 1) * recordsPerFile;
                      i++) {
                    out.writeBytes(line(prefix, i).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                  }
                  String key = prefix + "/part-" + String.format("%05d", file) + ".jsonl";
                  s3.putObject(
                      b -> b.bucket(bucket).key(key), RequestBody.fromBytes(out.toByteArray()));
                }));
      }
      for (Future<?> upload : uploads) {
        upload.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return "s3://" + bucket + "/" + prefix + "/";
  }
}
