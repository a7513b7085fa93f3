package dev.quarry.controlplane.console;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.quarry.job.io.OutputNaming;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's error lines grouped by error code, with a few examples of each, read from its committed
 * output files up to a byte budget: the store keeps only how many records failed, not why, and the
 * files are where Bedrock's users look for why.
 *
 * <p>Scans are remembered per job until its files change, because the job page asks every 2 s.
 */
final class ErrorSamples {
  static final int EXAMPLES_PER_CODE = 3;
  static final int MAX_MESSAGE_CHARS = 300;
  private static final int MAX_JOBS = 200;
  private static final JsonFactory JSON = new JsonFactory();

  /** One error line: its record and what the error said (cut to {@link #MAX_MESSAGE_CHARS}). */
  record Example(String file, String recordId, String message) {}

  /** The error lines of one code. */
  record CodeGroup(int code, long count, List<Example> examples) {
    CodeGroup {
      examples = List.copyOf(examples);
    }
  }

  /**
   * What a scan found.
   *
   * @param codes by code, most frequent first
   * @param scannedBytes bytes of output files read
   * @param totalBytes bytes of all output files; more than {@code scannedBytes} when the budget ran
   *     out, so counts are of the part read
   */
  record Summary(List<CodeGroup> codes, long scannedBytes, long totalBytes) {
    Summary {
      codes = List.copyOf(codes);
    }

    boolean complete() {
      return scannedBytes >= totalBytes;
    }
  }

  /** Reads an output file the folder listing gave. */
  interface Opener {
    InputStream open(OutputFiles.OutputFile file) throws IOException;
  }

  private record Scanned(List<OutputFiles.OutputFile> files, Summary summary) {}

  private final long maxBytes;
  private final Map<String, Scanned> byJob =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Scanned> eldest) {
          return size() > MAX_JOBS;
        }
      };

  /** Reads at most {@code maxBytes} of a job's output files per scan. */
  ErrorSamples(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** The summary of {@code files}, scanned again only when the listing changed since last time. */
  Summary of(String jobId, List<OutputFiles.OutputFile> files, Opener opener) throws IOException {
    synchronized (byJob) {
      Scanned last = byJob.get(jobId);
      if (last != null && last.files().equals(files)) {
        return last.summary();
      }
    }
    Summary summary = scan(files, opener, maxBytes);
    synchronized (byJob) {
      byJob.put(jobId, new Scanned(List.copyOf(files), summary));
    }
    return summary;
  }

  static Summary scan(List<OutputFiles.OutputFile> files, Opener opener, long maxBytes)
      throws IOException {
    Map<Integer, Long> counts = new TreeMap<>();
    Map<Integer, List<Example>> examples = new TreeMap<>();
    long total = 0;
    long scanned = 0;
    for (OutputFiles.OutputFile file : files) {
      if (!isRecordOutput(file.name())) {
        continue;
      }
      total += file.bytes();
      if (scanned >= maxBytes) {
        continue;
      }
      long before = scanned;
      try (CountingStream in = new CountingStream(opener.open(file));
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        // The bytes the reader has taken so far (read ahead by at most its buffers), not each
        // line encoded again.
        while (before + in.count < maxBytes && (line = lines.readLine()) != null) {
          ErrorLine error = errorOf(line);
          if (error != null) {
            counts.merge(error.code(), 1L, Long::sum);
            List<Example> some = examples.computeIfAbsent(error.code(), c -> new ArrayList<>());
            if (some.size() < EXAMPLES_PER_CODE) {
              some.add(new Example(file.name(), error.recordId(), error.message()));
            }
          }
        }
        scanned = before + in.count;
      }
    }
    List<CodeGroup> groups = new ArrayList<>();
    counts.forEach((code, n) -> groups.add(new CodeGroup(code, n, examples.get(code))));
    groups.sort(Comparator.comparingLong(CodeGroup::count).reversed());
    return new Summary(groups, Math.min(scanned, total), total);
  }

  /** Counts the bytes read through it. */
  private static final class CountingStream extends FilterInputStream {
    private long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count += Math.max(n, 0);
      return n;
    }
  }

  /** Records' output files, not the manifest. */
  private static boolean isRecordOutput(String name) {
    return name.endsWith(OutputNaming.OUTPUT_SUFFIX) && !name.equals(OutputNaming.MANIFEST_NAME);
  }

  private record ErrorLine(String recordId, int code, String message) {}

  /**
   * The error of an output line, or null for a success line or a line that is not an output line:
   * reads only the top level, skipping the model's input and output however large.
   */
  private static ErrorLine errorOf(String line) {
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String recordId = null;
      Integer code = null;
      String message = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("recordId") && value.isScalarValue()) {
          recordId = p.getValueAsString();
        } else if (field.equals("error") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            JsonToken v = p.nextToken();
            if (member.equals("errorCode") && v.isNumeric()) {
              code = p.getIntValue();
            } else if (member.equals("errorMessage") && v.isScalarValue()) {
              message = p.getValueAsString();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      if (code == null) {
        return null;
      }
      if (message != null && message.length() > MAX_MESSAGE_CHARS) {
        message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
      }
      return new ErrorLine(recordId, code, message == null ? "" : message);
    } catch (IOException e) {
      return null;
    }
  }
}
