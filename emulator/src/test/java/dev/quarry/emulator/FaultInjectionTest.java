package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.FaultRates;
import dev.quarry.emulator.config.ModelBehavior;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;

class FaultInjectionTest extends EmulatorFixture {

  private void faults(FaultRates rates) {
    faults(rates, null);
  }

  private void faults(FaultRates rates, Long seed) {
    EmulatorConfig.Builder config =
        EmulatorConfig.builder().defaultBehavior(ModelBehavior.builder().faults(rates).build());
    if (seed != null) {
      config.seed(seed);
    }
    emulator.configure(config.build());
  }

  @Test
  void internalServerError() {
    faults(FaultRates.builder().internalServerError(1.0).build());

    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("x")))
        .isInstanceOfSatisfying(
            InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    assertThat(emulator.stats().model(CLAUDE).faults().internalServerError()).isEqualTo(1);
  }

  @Test
  void serviceUnavailable() {
    faults(FaultRates.builder().serviceUnavailable(1.0).build());

    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("x")))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
  }

  @Test
  void modelTimeout() {
    faults(FaultRates.builder().modelTimeout(1.0).build());

    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("x")))
        .isInstanceOfSatisfying(
            ModelTimeoutException.class, e -> assertThat(e.statusCode()).isEqualTo(408));
  }

  @Test
  void modelErrorCarriesOriginalStatusCodeAndResourceName() {
    faults(FaultRates.builder().modelError(1.0).build());

    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("x")))
        .isInstanceOfSatisfying(
            ModelErrorException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(424);
              assertThat(e.originalStatusCode()).isEqualTo(500);
              assertThat(e.resourceName()).isEqualTo(CLAUDE);
            });
  }

  @Test
  void droppedConnectionFailsTheCallWithAnIoCause() {
    faults(FaultRates.builder().droppedConnection(1.0).build());

    assertThatThrownBy(() -> asyncClient.invokeModel(request(CLAUDE, claudeBody("x"))).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SdkClientException.class)
        .satisfies(e -> assertThat(rootCauses(e)).anyMatch(c -> c instanceof IOException));
    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("y")))
        .isInstanceOf(SdkClientException.class)
        .satisfies(e -> assertThat(rootCauses(e)).anyMatch(c -> c instanceof IOException));
    assertThat(emulator.stats().model(CLAUDE).faults().droppedConnection())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void faultsOccurAtTheirConfiguredShare() {
    faults(FaultRates.builder().internalServerError(0.2).modelTimeout(0.1).build());

    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      calls.add(asyncClient.invokeModel(request(CLAUDE, claudeBody("share " + i))));
    }
    calls.forEach(c -> c.handle((r, e) -> null).join());

    var stats = emulator.stats().model(CLAUDE);
    // Binomial(500, 0.2): mean 100, sd ~9; Binomial(500, 0.1): mean 50, sd ~6.7.
    assertThat(stats.faults().internalServerError()).isBetween(65L, 135L);
    assertThat(stats.faults().modelTimeout()).isBetween(25L, 80L);
    assertThat(stats.succeeded() + stats.faulted()).isEqualTo(500);
  }

  @Test
  void aSeedMakesTheFaultPatternReproducible() {
    faults(FaultRates.builder().internalServerError(0.5).build(), 42L);
    List<Boolean> first = outcomes();
    emulator.reset();
    List<Boolean> second = outcomes();

    assertThat(second).isEqualTo(first);
    assertThat(first).contains(true, false);
  }

  @Test
  void aSeededRetryOfTheSameBodyDrawsAgain() {
    faults(FaultRates.builder().internalServerError(0.5).build(), 7L);
    String body = claudeBody("retry me");

    int failures = 0;
    for (int i = 0; i < 20; i++) {
      try {
        invoke(CLAUDE, body);
      } catch (InternalServerException e) {
        failures++;
      }
    }
    assertThat(failures).isBetween(1, 19);
  }

  private List<Boolean> outcomes() {
    List<Boolean> ok = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      try {
        invoke(CLAUDE, claudeBody("seeded " + i));
        ok.add(true);
      } catch (InternalServerException e) {
        ok.add(false);
      }
    }
    return ok;
  }

  private static List<Throwable> rootCauses(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }
}
