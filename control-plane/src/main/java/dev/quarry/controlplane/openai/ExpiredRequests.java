package dev.quarry.controlplane.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The error file of an expired batch: its job's error lines, then a line for every request that
 * never ran, as OpenAI writes them: {@code {"id","custom_id","response":null,"error":{"code":
 * "batch_expired","message":"This request could not be executed before the completion window
 * expired."}}}.
 */
final class ExpiredRequests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory GENERATOR = new JsonFactory();
  static final String MESSAGE =
      "This request could not be executed before the completion window expired.";

  private final int maxLineBytes;

  ExpiredRequests(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Writes the error file to {@code target} and returns it.
   *
   * @param outputs the job's answer and error files (either may not exist); the last is copied
   */
  String errorFile(String batchId, String inputUri, List<String> outputs, String target)
      throws IOException {
    Set<String> answered = new HashSet<>();
    for (String output : outputs) {
      if (BatchFiles.size(output).isPresent()) {
        try (BufferedReader lines = reader(output)) {
          String line;
          while ((line = lines.readLine()) != null) {
            if (!line.isBlank()) {
              answered.add(JSON.readTree(line).path("custom_id").asText());
            }
          }
        }
      }
    }
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    String failures = outputs.get(outputs.size() - 1);
    if (BatchFiles.size(failures).isPresent()) {
      BatchFiles.copy(failures, content);
    }
    try (BufferedReader lines = reader(inputUri)) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank() || line.length() > maxLineBytes) {
          continue;
        }
        JsonNode request = JSON.readTree(line);
        String customId = request.path("custom_id").asText();
        if (answered.add(customId)) {
          content.writeBytes(expiredLine(batchId, customId).getBytes(StandardCharsets.UTF_8));
          content.write('\n');
        }
      }
    }
    try (InputStream in = new java.io.ByteArrayInputStream(content.toByteArray())) {
      BatchFiles.write(target, in);
    }
    return target;
  }

  static String expiredLine(String batchId, String customId) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = GENERATOR.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", "batch_req_" + hash(batchId + '\n' + customId));
      g.writeStringField("custom_id", customId);
      g.writeNullField("response");
      g.writeObjectFieldStart("error");
      g.writeStringField("code", "batch_expired");
      g.writeStringField("message", MESSAGE);
      g.writeEndObject();
      g.writeEndObject();
    }
    return out.toString();
  }

  private static BufferedReader reader(String uri) throws IOException {
    return new BufferedReader(
        new InputStreamReader(BatchFiles.open(uri), StandardCharsets.UTF_8), 1 << 16);
  }

  private static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
