package dev.quarry.job.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.quarry.job.spec.RecordFormat;
import java.io.IOException;
import java.io.StringWriter;
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

  /**
   * The one-pass parser's factory: a member named twice anywhere is an error there, so such a line
   * takes the tree's path, where the last value wins as it always has.
   */
  private static final JsonFactory STRICT =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

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
    if (line.replayed) {
      // Parsed as before the restore, so the id it registers is the one it registered then.
      BatchRecord was = parseLine(line);
      return BatchRecord.replayedId(
          line.file, line.lineNumber, was.kind == RecordKind.RECORD ? was.recordId : null);
    }
    return parseLine(line);
  }

  private BatchRecord parseLine(SourceLine line) {
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
    if (!format.isOpenAiBatch()) {
      BatchRecord fast = parseInOnePass(line, text);
      if (fast != null) {
        return fast;
      }
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

  /**
   * The common case of a Bedrock line, a JSON object with a string {@code recordId} and an object
   * {@code modelInput}, in one streaming pass: no tree of the line, and {@code modelInput} written
   * out compact as it is read, exactly as the tree would write it (decimals through {@link
   * java.math.BigDecimal}, integers at their own width). Anything else, malformed or not, returns
   * {@code null}: the tree below then says what is wrong, in its own words.
   */
  private BatchRecord parseInOnePass(SourceLine line, String text) {
    try (JsonParser p = STRICT.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String recordId = null;
      String modelInput = null;
      boolean idSeen = false;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("recordId")) {
          if (value == JsonToken.VALUE_STRING) {
            recordId = p.getText();
          } else if (value != JsonToken.VALUE_NULL) {
            return null;
          }
          idSeen = true;
        } else if (name.equals("modelInput")) {
          if (value != JsonToken.START_OBJECT) {
            return null;
          }
          modelInput = copyCompact(p);
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null || modelInput == null) {
        return null;
      }
      if (!idSeen || recordId == null || recordId.isEmpty()) {
        recordId = GeneratedRecordId.of(line.file, line.lineNumber);
      }
      return BatchRecord.record(line.file, line.lineNumber, recordId, modelInput);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The value {@code p} is at (an object), compact; {@code p} is left at its last token. */
  private static String copyCompact(JsonParser p) throws IOException {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = STRICT.createGenerator(out)) {
      int depth = 0;
      do {
        switch (p.currentToken()) {
          case START_OBJECT -> {
            g.writeStartObject();
            depth++;
          }
          case END_OBJECT -> {
            g.writeEndObject();
            depth--;
          }
          case START_ARRAY -> {
            g.writeStartArray();
            depth++;
          }
          case END_ARRAY -> {
            g.writeEndArray();
            depth--;
          }
          case FIELD_NAME -> g.writeFieldName(p.currentName());
          case VALUE_STRING ->
              g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          case VALUE_NUMBER_INT -> {
            switch (p.getNumberType()) {
              case INT -> g.writeNumber(p.getIntValue());
              case LONG -> g.writeNumber(p.getLongValue());
              default -> g.writeNumber(p.getBigIntegerValue());
            }
          }
          case VALUE_NUMBER_FLOAT -> g.writeNumber(p.getDecimalValue());
          case VALUE_TRUE -> g.writeBoolean(true);
          case VALUE_FALSE -> g.writeBoolean(false);
          case VALUE_NULL -> g.writeNull();
          default -> throw new IOException("unexpected token " + p.currentToken());
        }
        if (depth == 0) {
          break;
        }
        p.nextToken();
      } while (true);
    }
    return out.toString();
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
