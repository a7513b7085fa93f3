package dev.quarry.controlplane.store;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The status of a model invocation job, with Bedrock's wire names and the state machine of spec §5.
 */
public enum JobStatus {
  SUBMITTED("Submitted"),
  VALIDATING("Validating"),
  SCHEDULED("Scheduled"),
  IN_PROGRESS("InProgress"),
  STOPPING("Stopping"),
  STOPPED("Stopped"),
  COMPLETED("Completed"),
  PARTIALLY_COMPLETED("PartiallyCompleted"),
  FAILED("Failed"),
  EXPIRED("Expired");

  private final String wireName;

  JobStatus(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The PascalCase name Bedrock puts on the wire, e.g. {@code InProgress}; also what the store
   * keeps.
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The status with this wire name; throws {@link IllegalArgumentException} naming the valid
   * values.
   */
  public static JobStatus fromWireName(String wireName) {
    for (JobStatus status : values()) {
      if (status.wireName.equals(wireName)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "Unknown job status '"
            + wireName
            + "'; valid values: "
            + Arrays.stream(values()).map(JobStatus::wireName).collect(Collectors.joining(", ")));
  }

  /** Whether no move leaves this status. */
  public boolean isTerminal() {
    return successors().isEmpty();
  }

  /** Whether the state machine allows a move from this status to {@code next}. */
  public boolean canMoveTo(JobStatus next) {
    return successors().contains(next);
  }

  /** The statuses this one may move to. */
  public Set<JobStatus> successors() {
    // A switch rather than a field: enum constants cannot refer to later constants in their
    // constructors.
    switch (this) {
      case SUBMITTED:
        return EnumSet.of(VALIDATING, FAILED, STOPPING, EXPIRED);
      case VALIDATING:
        return EnumSet.of(SCHEDULED, FAILED, STOPPING, EXPIRED);
      case SCHEDULED:
        return EnumSet.of(IN_PROGRESS, EXPIRED, STOPPING, FAILED);
      case IN_PROGRESS:
        return EnumSet.of(COMPLETED, PARTIALLY_COMPLETED, FAILED, STOPPING);
      case STOPPING:
        return EnumSet.of(STOPPED, FAILED);
      default:
        return EnumSet.noneOf(JobStatus.class);
    }
  }
}
