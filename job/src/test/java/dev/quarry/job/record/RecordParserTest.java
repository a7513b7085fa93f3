package dev.quarry.job.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordParserTest {
  private static final String FILE = "s3://bucket/in/a.jsonl";
  private static final RecordParser PARSER = new RecordParser(1000);

  private static BatchRecord parse(long lineNumber, String text) {
    return parse(lineNumber, text.getBytes(StandardCharsets.UTF_8));
  }

  private static BatchRecord parse(long lineNumber, byte[] bytes) {
    return PARSER.parse(SourceLine.line(FILE, lineNumber, bytes, bytes.length));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static void assertInvalid(
      BatchRecord r, long lineNumber, String recordId, String modelInput, String message) {
    assertThat(r.kind).isEqualTo(RecordKind.INVALID);
    assertThat(r.file).isEqualTo(FILE);
    assertThat(r.lineNumber).isEqualTo(lineNumber);
    assertThat(r.recordId).isEqualTo(recordId);
    assertThat(r.modelInput).isEqualTo(modelInput);
    assertThat(r.errorCode).isEqualTo(400);
    assertThat(r.errorMessage).isEqualTo("Line " + lineNumber + ": " + message);
  }

  private static void assertRecord(
      BatchRecord r, long lineNumber, String recordId, String modelInput) {
    assertThat(r.kind).isEqualTo(RecordKind.RECORD);
    assertThat(r.file).isEqualTo(FILE);
    assertThat(r.lineNumber).isEqualTo(lineNumber);
    assertThat(r.recordId).isEqualTo(recordId);
    assertThat(r.modelInput).isEqualTo(modelInput);
    assertThat(r.errorMessage).isNull();
  }

  // ---- lines read again after a restore ----

  @Test
  void aReplayedLineGivesOnlyTheIdItWasParsedWithBefore() {
    for (String text :
        List.of(
            "{\"recordId\":\"r-1\",\"modelInput\":{\"a\":1}}",
            "{\"modelInput\":{\"a\":1}}",
            "{not json",
            "   ")) {
      BatchRecord first = parse(7, text);
      SourceLine again = SourceLine.line(FILE, 7, utf8(text), utf8(text).length);
      again.replayed = true;

      BatchRecord replayed = PARSER.parse(again);

      assertThat(replayed.kind).isEqualTo(RecordKind.REPLAYED_ID);
      assertThat(replayed.file).isEqualTo(FILE);
      assertThat(replayed.lineNumber).isEqualTo(7);
      assertThat(replayed.recordId)
          .as("id of %s", text)
          .isEqualTo(first.kind == RecordKind.RECORD ? first.recordId : null);
      assertThat(replayed.modelInput).isNull();
    }
  }

  // ---- well-formed records ----

  @Test
  void wellFormedRecordKeepsIdAndCompactModelInput() {
    BatchRecord r =
        parse(
            4,
            "{\"recordId\":\"r-1\",\"modelInput\":{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}");
    assertRecord(
        r, 4, "r-1", "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void modelInputIsReSerializedAsCompactJsonInItsOriginalMemberOrder() {
    BatchRecord r =
        parse(
            2,
            "{ \"modelInput\" : {\n\t\"z\" : [ 1 , 2 ] ,  \"a\" : { \"k\" : \"v w\" } , \"t\": true, \"n\": null },"
                + " \"recordId\" : \"x\" }");
    assertRecord(r, 2, "x", "{\"z\":[1,2],\"a\":{\"k\":\"v w\"},\"t\":true,\"n\":null}");
    assertThat(r.modelInput).doesNotContain("\n").doesNotContain(" :");
  }

  @Test
  void nonAsciiAndEscapesSurviveInModelInput() {
    BatchRecord r =
        parse(1, "{\"recordId\":\"é\",\"modelInput\":{\"p\":\"naïve \\\"q\\\" \\n 日本\"}}");
    assertRecord(r, 1, "é", "{\"p\":\"naïve \\\"q\\\" \\n 日本\"}");
  }

  @Test
  void extraTopLevelMembersAreIgnored() {
    assertRecord(parse(1, "{\"recordId\":\"a\",\"modelInput\":{},\"other\":[1]}"), 1, "a", "{}");
  }

  // ---- framing: BOM, CRLF, whitespace ----

  @Test
  void byteOrderMarkIsDroppedOnLineOne() {
    BatchRecord r = parse(1, concat(BOM, utf8("{\"recordId\":\"a\",\"modelInput\":{\"x\":1}}")));
    assertRecord(r, 1, "a", "{\"x\":1}");
  }

  @Test
  void byteOrderMarkOnALaterLineIsNotValidJson() {
    BatchRecord r = parse(2, concat(BOM, utf8("{\"recordId\":\"a\",\"modelInput\":{\"x\":1}}")));
    assertThat(r.kind).isEqualTo(RecordKind.INVALID);
    assertThat(r.recordId).isEqualTo(GeneratedRecordId.of(FILE, 2));
    assertThat(r.errorMessage).startsWith("Line 2: line is not valid JSON: ");
  }

  @Test
  void byteOrderMarkAloneOnLineOneIsBlank() {
    assertThat(parse(1, BOM).kind).isEqualTo(RecordKind.BLANK);
  }

  @Test
  void carriageReturnOfCrlfIsDropped() {
    assertRecord(parse(3, "{\"recordId\":\"a\",\"modelInput\":{}}\r"), 3, "a", "{}");
  }

  @Test
  void bomAndCrlfTogether() {
    assertRecord(
        parse(1, concat(BOM, utf8("{\"recordId\":\"a\",\"modelInput\":{}}\r"))), 1, "a", "{}");
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertRecord(
        parse(7, " \t\f {\"recordId\":\"a\",\"modelInput\":{\"k\":\" x \"}} \t \r"),
        7,
        "a",
        "{\"k\":\" x \"}");
  }

  @Test
  void emptyLineIsBlank() {
    BatchRecord r = parse(5, new byte[0]);
    assertThat(r.kind).isEqualTo(RecordKind.BLANK);
    assertThat(r.file).isEqualTo(FILE);
    assertThat(r.lineNumber).isEqualTo(5);
    assertThat(r.recordId).isNull();
    assertThat(r.modelInput).isNull();
    assertThat(r.errorMessage).isNull();
  }

  @Test
  void whitespaceOnlyLinesAreBlank() {
    for (String s : new String[] {" ", "\t", "\r", "\f", "  \t \r", " \r"}) {
      BatchRecord r = parse(9, s);
      assertThat(r.kind).as("%s", s.chars().boxed().toList()).isEqualTo(RecordKind.BLANK);
      assertThat(r.lineNumber).isEqualTo(9);
    }
  }

  // ---- defects ----

  @Test
  void invalidUtf8() {
    byte[] bytes =
        concat(
            utf8("{\"recordId\":\"a\",\"modelInput\":{\"p\":\""),
            new byte[] {(byte) 0xC3, (byte) 0x28},
            utf8("\"}}"));
    assertInvalid(
        parse(6, bytes), 6, GeneratedRecordId.of(FILE, 6), null, "line is not valid UTF-8");
  }

  @Test
  void invalidUtf8LoneContinuationAndOverlong() {
    assertInvalid(
        parse(1, new byte[] {'{', (byte) 0x80, '}'}),
        1,
        GeneratedRecordId.of(FILE, 1),
        null,
        "line is not valid UTF-8");
    // An overlong encoding of '/' (0xC0 0xAF) is malformed too.
    assertInvalid(
        parse(2, new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'}),
        2,
        GeneratedRecordId.of(FILE, 2),
        null,
        "line is not valid UTF-8");
  }

  @Test
  void tooLongLineHasNoBytesAndNamesItsLength() {
    BatchRecord r = PARSER.parse(SourceLine.line(FILE, 12, null, 123_456));
    assertInvalid(
        r,
        12,
        GeneratedRecordId.of(FILE, 12),
        null,
        "line is 123456 bytes, over the record size limit of 1000 bytes");
  }

  @Test
  void notJson() {
    BatchRecord r = parse(3, "hello world");
    assertThat(r.kind).isEqualTo(RecordKind.INVALID);
    assertThat(r.recordId).isEqualTo(GeneratedRecordId.of(FILE, 3));
    assertThat(r.modelInput).isNull();
    assertThat(r.errorCode).isEqualTo(400);
    assertThat(r.errorMessage).startsWith("Line 3: line is not valid JSON: ").contains("hello");
  }

  @Test
  void truncatedJson() {
    BatchRecord r = parse(8, "{\"recordId\":\"a\",\"modelInput\":{");
    assertThat(r.kind).isEqualTo(RecordKind.INVALID);
    assertThat(r.errorMessage)
        .startsWith("Line 8: line is not valid JSON: ")
        .contains("end-of-input");
    assertThat(r.errorMessage).doesNotContain("\n");
  }

  @Test
  void trailingTokensAfterTheObject() {
    BatchRecord r =
        parse(4, "{\"recordId\":\"a\",\"modelInput\":{}} {\"recordId\":\"b\",\"modelInput\":{}}");
    assertThat(r.kind).isEqualTo(RecordKind.INVALID);
    assertThat(r.recordId).isEqualTo(GeneratedRecordId.of(FILE, 4));
    assertThat(r.errorMessage)
        .startsWith("Line 4: line is not valid JSON: ")
        .contains("Trailing token");
  }

  @Test
  void trailingGarbageAfterTheObject() {
    BatchRecord r = parse(4, "{\"recordId\":\"a\",\"modelInput\":{}}x");
    assertThat(r.kind).isEqualTo(RecordKind.INVALID);
    assertThat(r.errorMessage).startsWith("Line 4: line is not valid JSON: ");
  }

  @Test
  void veryLongJsonErrorIsShortenedAndKeptOnOneLine() {
    String longToken = "x".repeat(900);
    BatchRecord r = parse(2, longToken);
    String prefix = "Line 2: line is not valid JSON: ";
    assertThat(r.errorMessage).startsWith(prefix).doesNotContain("\n");
    assertThat(r.errorMessage.length()).isLessThanOrEqualTo(prefix.length() + 200 + 1);
    assertThat(r.errorMessage).endsWith("…");
  }

  @Test
  void jsonValuesThatAreNotObjects() {
    for (String s : new String[] {"[1,2]", "[]", "\"a string\"", "42", "-1.5", "true", "null"}) {
      assertInvalid(
          parse(10, s), 10, GeneratedRecordId.of(FILE, 10), null, "line is not a JSON object");
    }
  }

  // ---- recordId ----

  @Test
  void missingRecordIdGetsTheGeneratedId() {
    assertRecord(
        parse(11, "{\"modelInput\":{\"a\":1}}"), 11, GeneratedRecordId.of(FILE, 11), "{\"a\":1}");
  }

  @Test
  void nullRecordIdGetsTheGeneratedId() {
    assertRecord(
        parse(11, "{\"recordId\":null,\"modelInput\":{\"a\":1}}"),
        11,
        GeneratedRecordId.of(FILE, 11),
        "{\"a\":1}");
  }

  @Test
  void emptyRecordIdGetsTheGeneratedId() {
    assertRecord(
        parse(11, "{\"recordId\":\"\",\"modelInput\":{\"a\":1}}"),
        11,
        GeneratedRecordId.of(FILE, 11),
        "{\"a\":1}");
  }

  @Test
  void whitespaceRecordIdIsKeptAsGiven() {
    assertRecord(parse(1, "{\"recordId\":\" \",\"modelInput\":{}}"), 1, " ", "{}");
  }

  @Test
  void nonStringRecordIdIsInvalidAndKeepsTheModelInput() {
    assertInvalid(
        parse(13, "{\"recordId\":17,\"modelInput\":{\"a\":1}}"),
        13,
        GeneratedRecordId.of(FILE, 13),
        "{\"a\":1}",
        "recordId must be a string, was NUMBER");
    assertInvalid(
        parse(13, "{\"recordId\":{\"x\":1},\"modelInput\":{\"a\":1}}"),
        13,
        GeneratedRecordId.of(FILE, 13),
        "{\"a\":1}",
        "recordId must be a string, was OBJECT");
    assertInvalid(
        parse(13, "{\"recordId\":[\"a\"],\"modelInput\":{}}"),
        13,
        GeneratedRecordId.of(FILE, 13),
        "{}",
        "recordId must be a string, was ARRAY");
  }

  @Test
  void nonStringRecordIdWithNonObjectModelInputHasNoModelInput() {
    assertInvalid(
        parse(13, "{\"recordId\":true,\"modelInput\":\"text\"}"),
        13,
        GeneratedRecordId.of(FILE, 13),
        null,
        "recordId must be a string, was BOOLEAN");
  }

  // ---- modelInput ----

  @Test
  void missingModelInput() {
    assertInvalid(parse(14, "{\"recordId\":\"r\"}"), 14, "r", null, "record has no modelInput");
  }

  @Test
  void missingModelInputWithoutRecordIdUsesTheGeneratedId() {
    assertInvalid(
        parse(14, "{}"), 14, GeneratedRecordId.of(FILE, 14), null, "record has no modelInput");
  }

  @Test
  void nullModelInput() {
    assertInvalid(
        parse(15, "{\"recordId\":\"r\",\"modelInput\":null}"),
        15,
        "r",
        null,
        "record has no modelInput");
  }

  @Test
  void nonObjectModelInput() {
    assertInvalid(
        parse(16, "{\"recordId\":\"r\",\"modelInput\":[1]}"),
        16,
        "r",
        null,
        "modelInput must be a JSON object, was ARRAY");
    assertInvalid(
        parse(16, "{\"recordId\":\"r\",\"modelInput\":\"hi\"}"),
        16,
        "r",
        null,
        "modelInput must be a JSON object, was STRING");
    assertInvalid(
        parse(16, "{\"recordId\":\"r\",\"modelInput\":3}"),
        16,
        "r",
        null,
        "modelInput must be a JSON object, was NUMBER");
    assertInvalid(
        parse(16, "{\"recordId\":\"r\",\"modelInput\":false}"),
        16,
        "r",
        null,
        "modelInput must be a JSON object, was BOOLEAN");
  }

  @Test
  void emptyObjectModelInputIsARecord() {
    assertRecord(parse(1, "{\"recordId\":\"r\",\"modelInput\":{}}"), 1, "r", "{}");
  }

  // ---- end of file ----

  @Test
  void endOfFileMarkerPassesThrough() {
    BatchRecord r = PARSER.parse(SourceLine.endOfFile(FILE, 42));
    assertThat(r.kind).isEqualTo(RecordKind.END_OF_FILE);
    assertThat(r.file).isEqualTo(FILE);
    assertThat(r.lineNumber).isEqualTo(42);
    assertThat(r.recordId).isNull();
    assertThat(r.modelInput).isNull();
    assertThat(r.errorMessage).isNull();
  }

  @Test
  void endOfFileMarkerOfAnEmptyFile() {
    BatchRecord r = PARSER.parse(SourceLine.endOfFile(FILE, 0));
    assertThat(r.kind).isEqualTo(RecordKind.END_OF_FILE);
    assertThat(r.lineNumber).isZero();
  }

  @Test
  void numbersInModelInputKeepTheirValue() {
    BatchRecord r =
        parse(
            1,
            "{\"recordId\":\"r\",\"modelInput\":{\"big\":1e400,\"precise\":0.12345678901234567890123}}");
    assertThat(r.kind).isEqualTo(RecordKind.RECORD);
    // Today: {"big":"Infinity","precise":0.12345678901234568}
    assertThat(r.modelInput).doesNotContain("\"Infinity\"").contains("0.12345678901234567890123");
  }

  /**
   * Most lines are read in one streaming pass, the rest through a tree of the line: either way
   * {@code modelInput} comes out as the tree writes it, whatever its numbers, escapes and nesting.
   */
  @Test
  void modelInputComesOutAsTheTreeWritesIt() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper tree =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    String[] inputs = {
      "{\"a\":1.50,\"b\":1e5,\"c\":-0.0,\"d\":2.5E-3,\"e\":123456789012,\"f\":"
          + "123456789012345678901234567890,\"g\":-7}",
      "{\"s\":\"\\u00e9 \\ud83d\\ude00 \\t \\/ \\\"q\\\" \u65e5\",\"n\":null,\"t\":true,\"f\":false}",
      "{ \"nested\" : [ [ ] , { } , [ { \"x\" : [ 1 , 2.0 , \"3\" ] } ] ] , \"empty\" : {} }",
      "{\"dup\":1,\"dup\":2}",
      "{\"o\":{\"dup\":1,\"dup\":2}}",
    };
    for (String input : inputs) {
      BatchRecord r =
          parse(1, "{\"recordId\":\"r\",\"other\":[1,{\"y\":2}],\"modelInput\":" + input + "}");
      assertThat(r.kind).as(input).isEqualTo(RecordKind.RECORD);
      assertThat(r.modelInput).as(input).isEqualTo(tree.readTree(input).toString());
    }
  }
}
