package dev.quarry.emulator.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic, distinct Claude Messages request bodies (about 700 bytes each), like a batch job's
 * records.
 */
final class BenchmarkBodies {
  static final String MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0";

  private static final String[] TOPICS = {
    "a delayed shipment",
    "a damaged blender",
    "excellent support",
    "a billing error",
    "a missing refund",
    "a late train",
    "a noisy hotel room",
    "a great pizza"
  };

  private BenchmarkBodies() {}

  static List<byte[]> claudeBodies(int count) {
    List<byte[]> bodies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String review =
          "Customer review #"
              + i
              + ": I am writing about "
              + TOPICS[i % TOPICS.length]
              + ". The experience was mixed; some parts went well, others did not, and I would like someone"
              + " to look into it and tell me what happens next. Order reference Q-"
              + (100000 + i)
              + ".";
      String body =
          "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":512,\"temperature\":0.2,"
              + "\"system\":\"You are a support analyst. Classify the sentiment of the review as positive, "
              + "negative or mixed, and summarize it in one sentence.\","
              + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
              + review
              + "\"}]}]}";
      bodies.add(body.getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }
}
