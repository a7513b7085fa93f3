package dev.quarry.controlplane.store;

/** The order of a job listing by submit time (Bedrock's {@code sortOrder}). */
public enum SortOrder {
  ASCENDING("Ascending"),
  DESCENDING("Descending");

  private final String wireName;

  SortOrder(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire: {@code Ascending} or {@code Descending}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The order with this wire name; throws {@link IllegalArgumentException} naming the valid values.
   */
  public static SortOrder fromWireName(String wireName) {
    for (SortOrder order : values()) {
      if (order.wireName.equals(wireName)) {
        return order;
      }
    }
    throw new IllegalArgumentException(
        "Unknown sort order '" + wireName + "'; valid values: Ascending, Descending");
  }
}
