package dev.quarry.job.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.quarry.job.spec.RecordFormat;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns one input line into a record to invoke, or into the reason it cannot be invoked.
 *
 * <p>Nothing in a line can make this throw: every defect becomes an {@link RecordKind#INVALID}
 * record with error code 400 and a message naming the line and the defect.
 *
 * <p>Not thread-safe: one parser per thread (each subtask gets its own copy).
 */
public final class RecordParser implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Exact decimals, so the model gets (and the output repeats) the numbers the user wrote. */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private static final int MAX_QUOTED_ERROR = 200;

  private final long maxRecordBytes;
  private final RecordFormat format;

  /** One decoder per parser (a parser runs on one subtask's thread), not one per line. */
  private transient CharsetDecoder decoder;

  /** A parser of Bedrock batch records. */
  public RecordParser(long maxRecordBytes) {
    this(maxRecordBytes, RecordFormat.BEDROCK);
  }

  /** A parser of lines in {@code format}. */
  public RecordParser(long maxRecordBytes, RecordFormat format) {
    this.maxRecordBytes = maxRecordBytes;
    this.format = format;
  }

  /** Parses one line read from a file. */
  public BatchRecord parse(SourceLine line) {
    if (line.endOfFile) {
      return BatchRecord.endOfFile(line.file, line.lineNumber);
    }
    if (line.bytes == null) {
      return invalid(
          line,
          GeneratedRecordId.of(line.file, line.lineNumber),
          null,
          "line is "
              + line.length
              + " bytes, over the record size limit of "
              + maxRecordBytes
              + " bytes");
    }
    byte[] bytes = line.bytes;
    int start = 0;
    int end = bytes.length;
    if (line.lineNumber == 1
        && end >= 3
        && (bytes[0] & 0xff) == 0xEF
        && (bytes[1] & 0xff) == 0xBB
        && (bytes[2] & 0xff) == 0xBF) {
      start = 3; // a UTF-8 byte-order mark, as some editors write
    }
    while (end > start && isBlank(bytes[end - 1])) {
      end--; // drops the \r of CRLF files and trailing spaces
    }
    while (start < end && isBlank(bytes[start])) {
      start++;
    }
    if (start == end) {
      return BatchRecord.blank(line.file, line.lineNumber);
    }
    String text;
    try {
      text = decodeUtf8(bytes, start, end - start);
    } catch (CharacterCodingException e) {
      return invalid(
          line, GeneratedRecordId.of(line.file, line.lineNumber), null, "line is not valid UTF-8");
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return invalid(
          line,
          GeneratedRecordId.of(line.file, line.lineNumber),
          null,
          "line is not valid JSON: " + shorten(e.getOriginalMessage()));
    }
    if (node == null || !node.isObject()) {
      return invalid(
          line,
          GeneratedRecordId.of(line.file, line.lineNumber),
          null,
          "line is not a JSON object");
    }
    if (format.isOpenAiBatch()) {
      return OpenAiRequestLine.toRecord(
          line, node, GeneratedRecordId.of(line.file, line.lineNumber), format);
    }
    JsonNode idNode = node.get("recordId");
    JsonNode input = node.get("modelInput");
    String modelInput = input != null && input.isObject() ? input.toString() : null;
    String recordId;
    if (idNode == null || idNode.isNull() || (idNode.isTextual() && idNode.asText().isEmpty())) {
      // Only a line without an id pays for the hash (SHA-256): most lines bring their own.
      recordId = GeneratedRecordId.of(line.file, line.lineNumber);
    } else if (idNode.isTextual()) {
      recordId = idNode.asText();
    } else {
      return invalid(
          line,
          GeneratedRecordId.of(line.file, line.lineNumber),
          modelInput,
          "recordId must be a string, was " + idNode.getNodeType());
    }
    if (input == null || input.isNull()) {
      return invalid(line, recordId, null, "record has no modelInput");
    }
    if (!input.isObject()) {
      return invalid(
          line, recordId, null, "modelInput must be a JSON object, was " + input.getNodeType());
    }
    return BatchRecord.record(line.file, line.lineNumber, recordId, modelInput);
  }

  static BatchRecord invalid(SourceLine line, String recordId, String modelInput, String why) {
    return BatchRecord.invalid(
        line.file,
        line.lineNumber,
        recordId,
        modelInput,
        400,
        "Line " + line.lineNumber + ": " + why);
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\f';
  }

  private String decodeUtf8(byte[] bytes, int offset, int length) throws CharacterCodingException {
    if (decoder == null) {
      decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
    return decoder.decode(ByteBuffer.wrap(bytes, offset, length)).toString();
  }

  private static String shorten(String message) {
    String oneLine = message == null ? "" : message.replace('\n', ' ');
    return oneLine.length() <= MAX_QUOTED_ERROR
        ? oneLine
        : oneLine.substring(0, MAX_QUOTED_ERROR) + "…";
  }
}
