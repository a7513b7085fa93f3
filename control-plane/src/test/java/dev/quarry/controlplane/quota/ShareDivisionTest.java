package dev.quarry.controlplane.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShareDivisionTest {
  private static final double ANY = Double.POSITIVE_INFINITY;

  @Test
  void equalJobsGetEqualHalves() {
    Map<String, Double> shares =
        ShareDivision.divide(600, List.of(new Claim("a", 2, ANY), new Claim("b", 2, ANY)));
    assertThat(shares).containsEntry("a", 300.0).containsEntry("b", 300.0);
  }

  @Test
  void prioritiesWeighFourTwoOne() {
    Map<String, Double> shares =
        ShareDivision.divide(
            700,
            List.of(
                new Claim("high", Priority.HIGH.weight(), ANY),
                new Claim("normal", Priority.NORMAL.weight(), ANY),
                new Claim("low", Priority.LOW.weight(), ANY)));
    assertThat(shares.get("high")).isCloseTo(400, within(1e-9));
    assertThat(shares.get("normal")).isCloseTo(200, within(1e-9));
    assertThat(shares.get("low")).isCloseTo(100, within(1e-9));
  }

  @Test
  void whatAJobCannotUseGoesToTheOthersByWeight() {
    Map<String, Double> shares =
        ShareDivision.divide(
            600, List.of(new Claim("idle", 4, 60), new Claim("b", 2, ANY), new Claim("c", 1, ANY)));
    assertThat(shares.get("idle")).isEqualTo(60);
    assertThat(shares.get("b")).isCloseTo(360, within(1e-9));
    assertThat(shares.get("c")).isCloseTo(180, within(1e-9));
    assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(600, within(1e-9));
  }

  @Test
  void neverMoreThanTheBudgetAndNoBudgetMeansNoLimit() {
    Map<String, Double> shares =
        ShareDivision.divide(100, List.of(new Claim("a", 1, 500), new Claim("b", 1, 500)));
    assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(100, within(1e-9));
    assertThat(ShareDivision.divide(0, List.of(new Claim("a", 1, 50)))).containsEntry("a", 0.0);
  }

  @Test
  void whatNoClaimWantsIsSpreadByWeightSoTheWholeBudgetIsHandedOut() {
    Map<String, Double> shares =
        ShareDivision.divide(600, List.of(new Claim("a", 2, 10), new Claim("b", 1, 20)));
    assertThat(shares.get("a")).isCloseTo(10 + 570 * 2 / 3.0, within(1e-9));
    assertThat(shares.get("b")).isCloseTo(20 + 570 / 3.0, within(1e-9));

    assertThat(ShareDivision.divide(600, List.of(new Claim("alone", 2, 6))))
        .as("a job alone on its model that went quiet keeps the budget")
        .containsEntry("alone", 600.0);
  }

  @Test
  void theRestStopsAtAJobsOwnCap() {
    Map<String, Double> shares =
        ShareDivision.divide(
            600, List.of(new Claim("capped", 2, 10, 100), new Claim("quiet", 1, 20)));
    assertThat(shares.get("capped")).isCloseTo(100, within(1e-9));
    assertThat(shares.get("quiet")).isCloseTo(500, within(1e-9));
  }
}
