package dev.quarry.controlplane.retry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.retry.RecordOutcomes.Outcome;
import dev.quarry.job.io.InputLines;
import dev.quarry.job.record.BatchRecord;
import dev.quarry.job.record.RecordParser;
import dev.quarry.job.record.SourceLine;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads one input file of an ended job, line by line, and writes the lines a retry runs again as
 * that retry's input: records without a success line, as {@code --errors} selects them.
 *
 * <p>Lines are parsed by the job's own parser, so a record gets the record id the job gave it; a
 * generated id is written out explicitly, so the retry's output lines correlate with the original
 * input. A line the job could not parse is copied as it was (only with {@code --errors all}).
 *
 * <p>Validation fails a file none of whose first lines is a JSON object, so lines that are not JSON
 * go last, after the records, and are left out of a file that would hold nothing else.
 */
final class RetryLinePicker {
  /**
   * The job's default record size limit ({@code quarry.job.max-record-bytes}). A longer line got an
   * error line under a generated id; parsing with the same limit finds that id.
   */
  static final long MAX_RECORD_BYTES = 10L << 20;

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final S3Client s3;
  private final ErrorSelection errors;
  private final RecordParser parser = new RecordParser(MAX_RECORD_BYTES);

  RetryLinePicker(S3Client s3, ErrorSelection errors) {
    this.s3 = s3;
    this.errors = errors;
  }

  /** Writes the picked lines of {@code file} to {@code target}; returns how many, per reason. */
  RetryCounts pick(InputFile file, RecordOutcomes outcomes, Path target) throws IOException {
    Path notJson = target.resolveSibling(target.getFileName() + ".not-json");
    Picked picked;
    try (OutputStream lines = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
        OutputStream notJsonLines =
            new BufferedOutputStream(Files.newOutputStream(notJson), 1 << 16)) {
      picked = pick(file, outcomes, lines, notJsonLines);
    }
    try {
      if (picked.notJson == 0) {
        return picked.counts;
      }
      if (picked.counts.total() == 0) {
        picked.counts.leaveOutNotJson(picked.notJson);
        return picked.counts;
      }
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.APPEND)) {
        Files.copy(notJson, out);
      }
      for (long i = 0; i < picked.notJson; i++) {
        picked.counts.add(RetryReason.INVALID_LINE);
      }
      return picked.counts;
    } finally {
      Files.delete(notJson);
    }
  }

  /**
   * What one pass over a file picked: counts of the lines written, and the lines that are not JSON
   * set aside.
   */
  private record Picked(RetryCounts counts, long notJson) {}

  private Picked pick(
      InputFile file, RecordOutcomes outcomes, OutputStream out, OutputStream notJsonOut)
      throws IOException {
    RetryCounts counts = new RetryCounts();
    long notJson = 0;
    S3Location at = file.location();
    try (InputStream in = s3.getObject(b -> b.bucket(at.bucket()).key(at.key()))) {
      InputLines lines = new InputLines(in, MAX_RECORD_BYTES);
      while (lines.next()) {
        BatchRecord record =
            parser.parse(
                SourceLine.line(file.jobPath(), lines.lineNumber(), lines.bytes(), lines.length()));
        switch (record.kind) {
          case RECORD -> {
            Outcome outcome = outcomes.of(record.recordId);
            RetryReason reason = reasonFor(outcome);
            if (reason != null) {
              writeRecord(record, out);
              counts.add(reason);
            } else if (outcome != Outcome.SUCCEEDED) {
              counts.leaveOut();
            }
          }
          case INVALID -> {
            if (!errors.picksInvalidLines()) {
              counts.leaveOut();
            } else if (isJsonObject(lines)) {
              copyLine(at, lines, out);
              counts.add(RetryReason.INVALID_LINE);
            } else {
              copyLine(at, lines, notJsonOut);
              notJson++;
            }
          }
          case BLANK -> {}
          default ->
              throw new IllegalStateException("The parser returned " + record.kind + " for a line");
        }
      }
    }
    return new Picked(counts, notJson);
  }

  private RetryReason reasonFor(Outcome outcome) {
    if (outcome == null) {
      return RetryReason.NOT_PROCESSED;
    }
    return switch (outcome) {
      case SUCCEEDED -> null;
      case RETRYABLE_ERROR -> RetryReason.RETRYABLE_ERROR;
      case OTHER_ERROR -> errors.picksOtherErrors() ? RetryReason.OTHER_ERROR : null;
    };
  }

  private static void writeRecord(BatchRecord record, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("recordId", record.recordId);
      g.writeFieldName("modelInput");
      g.writeRawValue(record.modelInput);
      g.writeEndObject();
    }
    out.write('\n');
  }

  /** Whether the current line is a JSON object in UTF-8 (an over-long line counts as not). */
  private static boolean isJsonObject(InputLines lines) {
    byte[] bytes = lines.bytes();
    if (bytes == null) {
      return false;
    }
    int start = bomLength(lines);
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
              .toString();
      JsonNode node = MAPPER.readTree(text);
      return node != null && node.isObject();
    } catch (CharacterCodingException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** 3 when the current line is a file's first and starts with a UTF-8 byte-order mark, else 0. */
  private static int bomLength(InputLines lines) {
    byte[] bytes = lines.bytes();
    return lines.lineNumber() == 1
            && bytes != null
            && bytes.length >= 3
            && (bytes[0] & 0xff) == 0xEF
            && (bytes[1] & 0xff) == 0xBB
            && (bytes[2] & 0xff) == 0xBF
        ? 3
        : 0;
  }

  private void copyLine(S3Location file, InputLines lines, OutputStream out) throws IOException {
    byte[] bytes = lines.bytes();
    if (bytes != null) {
      // A byte-order mark is only allowed on a file's first line; elsewhere it would change the
      // error.
      int bom = bomLength(lines);
      out.write(bytes, bom, bytes.length - bom);
    } else {
      String range = "bytes=" + lines.offset() + "-" + (lines.offset() + lines.length() - 1);
      try (InputStream in =
          s3.getObject(b -> b.bucket(file.bucket()).key(file.key()).range(range))) {
        in.transferTo(out);
      }
    }
    out.write('\n');
  }
}
