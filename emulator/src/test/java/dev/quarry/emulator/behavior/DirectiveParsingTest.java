package dev.quarry.emulator.behavior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.emulator.wire.ServiceError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DirectiveParsingTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void findsTheFirstDirectiveAnywhereInTheBody() {
    assertThat(
            Directive.find(bytes("{\"prompt\":\"a [[emulator:fail=503]] b [[emulator:drop]]\"}")))
        .hasValue(Fault.SERVICE_UNAVAILABLE);
    assertThat(Directive.find(bytes("[[emulator:drop]]"))).hasValue(Fault.DROPPED_CONNECTION);
    assertThat(Directive.find(bytes("[[emulator: fail=429 ]]"))).hasValue(Fault.THROTTLED);
    assertThat(Directive.find(bytes("no directive [[emulator"))).isEmpty();
    assertThat(Directive.find(bytes(""))).isEmpty();
  }

  @Test
  void rejectsMalformedDirectives() {
    assertThatThrownBy(() -> Directive.find(bytes("[[emulator:fail=500")))
        .isInstanceOf(ServiceError.class)
        .hasMessageContaining("Unterminated");
    assertThatThrownBy(() -> Directive.find(bytes("[[emulator:slow]]")))
        .isInstanceOf(ServiceError.class)
        .hasMessageContaining("Unknown emulator directive");
  }
}
