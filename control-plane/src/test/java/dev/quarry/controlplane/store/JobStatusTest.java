package dev.quarry.controlplane.store;

import static dev.quarry.controlplane.store.JobStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusTest {
  /** The state machine of the brief (spec §5), written out independently of the enum. */
  static final Map<JobStatus, Set<JobStatus>> ALLOWED =
      Map.of(
          SUBMITTED, EnumSet.of(VALIDATING, FAILED, STOPPING, EXPIRED),
          VALIDATING, EnumSet.of(SCHEDULED, FAILED, STOPPING, EXPIRED),
          SCHEDULED, EnumSet.of(IN_PROGRESS, EXPIRED, STOPPING, FAILED),
          IN_PROGRESS, EnumSet.of(COMPLETED, PARTIALLY_COMPLETED, FAILED, STOPPING),
          STOPPING, EnumSet.of(STOPPED, FAILED));

  @Test
  void movesAreExactlyTheStateMachines() {
    for (JobStatus from : values()) {
      for (JobStatus to : values()) {
        assertThat(from.canMoveTo(to))
            .as("%s -> %s", from, to)
            .isEqualTo(ALLOWED.getOrDefault(from, Set.of()).contains(to));
      }
    }
  }

  @Test
  void terminalStatusesHaveNoWayOut() {
    assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::isTerminal))
        .containsExactlyInAnyOrder(COMPLETED, PARTIALLY_COMPLETED, FAILED, STOPPED, EXPIRED);
  }

  @Test
  void wireNamesRoundTrip() {
    assertThat(IN_PROGRESS.wireName()).isEqualTo("InProgress");
    assertThat(PARTIALLY_COMPLETED.wireName()).isEqualTo("PartiallyCompleted");
    for (JobStatus status : values()) {
      assertThat(fromWireName(status.wireName())).isEqualTo(status);
    }
  }

  @Test
  void anUnknownWireNameNamesTheValidOnes() {
    assertThatThrownBy(() -> fromWireName("IN_PROGRESS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IN_PROGRESS")
        .hasMessageContaining("Submitted, Validating, Scheduled, InProgress");
    assertThatThrownBy(() -> fromWireName(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
