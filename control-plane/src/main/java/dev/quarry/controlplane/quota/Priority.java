package dev.quarry.controlplane.quota;

import java.util.Locale;

/**
 * A job's priority, from its {@code quarry:priority} tag: its weight in its model's budget and in
 * the queue.
 */
public enum Priority {
  HIGH(4),
  NORMAL(2),
  LOW(1);

  /** The tag that sets it, on Create or by TagResource (tags are Bedrock's own extension point). */
  public static final String TAG = "quarry:priority";

  private final int weight;

  Priority(int weight) {
    this.weight = weight;
  }

  /** Its share of a model's budget relative to the other jobs on the model (4 : 2 : 1). */
  public int weight() {
    return weight;
  }

  /**
   * The priority a tag value gives: {@code high}, {@code normal} or {@code low}; anything else is
   * normal.
   */
  public static Priority ofTag(String value) {
    if (value == null) {
      return NORMAL;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "high" -> HIGH;
      case "low" -> LOW;
      default -> NORMAL;
    };
  }

  /**
   * Whether {@code value} is one of the tag's values exactly as written ({@code high}, {@code
   * normal}, {@code low}).
   */
  public static boolean isTagValue(String value) {
    for (Priority p : values()) {
      if (p.tagValue().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** The tag value. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
