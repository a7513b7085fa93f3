package dev.quarry.controlplane.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/prices.json as the control plane reads it, and the estimate of a job from its tokens. */
class PriceTableTest {
  private static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

  @Test
  void theBuiltInTableIsConfPricesJsonAndBatchIsHalfOfOnDemand() throws Exception {
    PriceTable builtIn = PriceTable.load(null);
    PriceTable conf = PriceTable.load(Path.of("..", "conf", "prices.json"));
    assertThat(builtIn.asOf()).isEqualTo(conf.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
    var models =
        new ObjectMapper().readTree(Path.of("..", "conf", "prices.json").toFile()).path("models");
    assertThat(models.size()).isGreaterThan(10);
    models
        .fieldNames()
        .forEachRemaining(
            id -> {
              ModelPrice p = builtIn.find(id).orElseThrow();
              assertThat(p).isEqualTo(conf.find(id).orElseThrow());
              assertThat(p.batchInput().multiply(BigDecimal.valueOf(2)))
                  .as(id)
                  .isEqualByComparingTo(p.input());
              assertThat(p.batchOutput().multiply(BigDecimal.valueOf(2)))
                  .as(id)
                  .isEqualByComparingTo(p.output());
            });
  }

  @Test
  void everyFamilyTheEmulatorAnswersHasAPricedModel() {
    PriceTable table = PriceTable.load(null);
    for (String id :
        new String[] {
          HAIKU,
          "amazon.nova-lite-v1:0",
          "amazon.titan-text-express-v1",
          "amazon.titan-embed-text-v2:0",
          "meta.llama3-1-8b-instruct-v1:0",
          "mistral.mistral-7b-instruct-v0:2"
        }) {
      assertThat(table.find(id)).as(id).isPresent();
    }
  }

  @Test
  void profilesAndArnsArePricedAsTheirFoundationModel() {
    PriceTable table = PriceTable.load(null);
    ModelPrice haiku = table.find(HAIKU).orElseThrow();
    assertThat(table.find("us." + HAIKU)).contains(haiku);
    assertThat(table.find("arn:aws:bedrock:us-east-1::foundation-model/" + HAIKU)).contains(haiku);
    assertThat(table.find("arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu." + HAIKU))
        .contains(haiku);
    assertThat(table.find("acme.unknown-model-v1")).isEmpty();
  }

  @Test
  void aJobsCostIsItsTokensAtTheModelsPrices() {
    // Haiku: $0.00025 in and $0.00125 out per 1,000 tokens on demand
    Cost cost = PriceTable.load(null).estimate(HAIKU, 2_000_000L, 400_000L).orElseThrow();
    assertThat(cost.onDemand()).isEqualByComparingTo("1.00");
    assertThat(cost.batch()).isEqualByComparingTo("0.50");
    assertThat(PriceTable.load(null).estimate(HAIKU, null, null).orElseThrow().onDemand())
        .isEqualByComparingTo("0");
    assertThatThrownBy(
            () ->
                Cost.of(
                    new ModelPrice(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE),
                    -1,
                    0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBrokenTableIsRefusedNamingTheModel(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(
        file, "{\"models\":{\"m.one\":{\"input\":0.1,\"output\":0.2,\"batchInput\":0.05}}}");
    assertThatThrownBy(() -> PriceTable.load(file))
        .hasMessageContaining("m.one")
        .hasMessageContaining("batchOutput");
    Files.writeString(
        file,
        "{\"models\":{\"m.one\":{\"input\":-1,\"output\":0.2,\"batchInput\":0.05,\"batchOutput\":0}}}");
    assertThatThrownBy(() -> PriceTable.load(file)).hasMessageContaining(">= 0");
  }
}
