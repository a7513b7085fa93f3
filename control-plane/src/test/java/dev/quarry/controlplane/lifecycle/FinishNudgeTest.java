package dev.quarry.controlplane.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinishNudgeTest {
  private static final long S = 1_000_000_000L;
  private static final long T0 = -5 * S; // System.nanoTime() may be negative

  @Test
  void asksAfterTheGraceThenEveryFewSeconds() {
    FinishNudge nudge = new FinishNudge();
    assertThat(nudge.due("j", T0))
        .as("Flink's own end-of-input checkpoint gets its chance")
        .isFalse();
    assertThat(nudge.due("j", T0 + S / 2)).isFalse();
    assertThat(nudge.due("j", T0 + S)).isTrue();
    assertThat(nudge.due("j", T0 + 2 * S)).isFalse();
    assertThat(nudge.due("j", T0 + 3 * S)).isTrue();
  }

  @Test
  void forgettingAJobStartsItsGraceAgain() {
    FinishNudge nudge = new FinishNudge();
    nudge.due("j", T0);
    nudge.forget("j");
    assertThat(nudge.due("j", T0 + 5 * S)).isFalse();
    assertThat(nudge.due("j", T0 + 6 * S)).isTrue();
    assertThat(nudge.due("other", T0 + 6 * S)).isFalse();
  }
}
