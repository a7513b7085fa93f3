package dev.quarry.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class DirectiveTest extends EmulatorFixture {

  @ParameterizedTest
  @CsvSource({"400", "408", "424", "429", "500", "503"})
  void failDirectiveAnswersThatErrorEveryTime(int status) {
    String body = claudeBody("record 17 [[emulator:fail=" + status + "]]");
    Class<? extends BedrockRuntimeException> expected =
        switch (status) {
          case 400 -> ValidationException.class;
          case 408 -> ModelTimeoutException.class;
          case 424 -> ModelErrorException.class;
          case 429 -> ThrottlingException.class;
          case 500 -> InternalServerException.class;
          case 503 -> ServiceUnavailableException.class;
          default -> throw new IllegalArgumentException();
        };

    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> invoke(CLAUDE, body))
          .isInstanceOfSatisfying(expected, e -> assertThat(e.statusCode()).isEqualTo(status));
    }
    assertThat(emulator.timesSeen(body)).isEqualTo(3);
    assertThat(emulator.stats().model(CLAUDE).succeeded()).isZero();
  }

  @Test
  void otherRecordsAreUnaffected() {
    invoke(CLAUDE, claudeBody("record 16"));
    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("record 17 [[emulator:fail=500]]")))
        .isInstanceOf(InternalServerException.class);
    invoke(CLAUDE, claudeBody("record 18"));

    assertThat(emulator.stats().model(CLAUDE).succeeded()).isEqualTo(2);
    assertThat(emulator.stats().model(CLAUDE).faults().internalServerError()).isEqualTo(1);
  }

  @Test
  void dropDirectiveClosesTheConnectionEveryTime() {
    String body = claudeBody("drop me [[emulator:drop]]");

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> asyncClient.invokeModel(request(CLAUDE, body)).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(SdkClientException.class)
          .hasRootCauseInstanceOf(IOException.class);
    }
    assertThat(emulator.timesSeen(body)).isEqualTo(2);
    assertThat(emulator.stats().model(CLAUDE).faults().droppedConnection()).isEqualTo(2);
  }

  @Test
  void directivesWorkInAnyFamilyAndInConverse() {
    assertThatThrownBy(() -> invoke(LLAMA, "{\"prompt\":\"x [[emulator:fail=503]]\"}"))
        .isInstanceOf(ServiceUnavailableException.class);
    Message message =
        Message.builder()
            .role(ConversationRole.USER)
            .content(ContentBlock.fromText("y [[emulator:fail=408]]"))
            .build();
    assertThatThrownBy(() -> client.converse(b -> b.modelId(NOVA).messages(message)))
        .isInstanceOf(ModelTimeoutException.class);
  }

  @Test
  void anUnknownDirectiveIsAValidationError() {
    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("[[emulator:explode]]")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Unknown emulator directive [[emulator:explode]]");
    assertThatThrownBy(() -> invoke(CLAUDE, claudeBody("[[emulator:fail=418]]")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("fail=400|408|424|429|500|503");
  }
}
