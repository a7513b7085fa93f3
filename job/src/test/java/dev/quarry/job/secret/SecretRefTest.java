package dev.quarry.job.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefTest {
  @TempDir Path dir;

  @Test
  void aFileReferenceReadsTheFileWithoutItsFinalLineBreak() throws Exception {
    Path file = dir.resolve("bedrock-secret");
    Files.writeString(file, "wJalr/K7MDENG+bPxRfiCY\n");
    assertThat(SecretRef.parse("file:" + file).resolve()).isEqualTo("wJalr/K7MDENG+bPxRfiCY");
    Files.writeString(file, "as mounted from a Secret");
    assertThat(SecretRef.parse("file:" + file).resolve()).isEqualTo("as mounted from a Secret");
  }

  @Test
  void anEnvironmentReferenceReadsTheProcessEnvironment() {
    Map.Entry<String, String> any =
        System.getenv().entrySet().stream()
            .filter(e -> e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*"))
            .findFirst()
            .orElseThrow();
    assertThat(SecretRef.parse("env:" + any.getKey()).resolve()).isEqualTo(any.getValue());
    assertThatThrownBy(() -> SecretRef.parse("env:QUARRY_TEST_SURELY_UNSET_VARIABLE").resolve())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("env:QUARRY_TEST_SURELY_UNSET_VARIABLE");
  }

  @Test
  void anInProcessReferenceCarriesOnlyARandomId() throws Exception {
    SecretRef ref = SecretRef.inProcess("pa55-in-memory");
    assertThat(ref.reference()).startsWith("jvm:").doesNotContain("pa55");
    assertThat(ref.isInProcess()).isTrue();
    assertThat(ref.resolve()).isEqualTo("pa55-in-memory");
    byte[] serialized = InstantiationUtil.serializeObject(ref);
    assertThat(new String(serialized, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("pa55");
    SecretRef back = InstantiationUtil.deserializeObject(serialized, getClass().getClassLoader());
    assertThat(back.resolve()).isEqualTo("pa55-in-memory");
    assertThatThrownBy(() -> SecretRef.parse("jvm:no-such-id").resolve())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("env: or file:");
  }

  @Test
  void aValueIsNeverTakenForAReferenceNorEchoed() {
    for (String notAReference :
        new String[] {"hunter2", "env:", "env:NOT-A-NAME", "file:relative/path", "jvm:"}) {
      assertThatThrownBy(() -> SecretRef.parse(notAReference))
          .as(notAReference)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> SecretRef.parse("hunter2")).hasMessageNotContaining("hunter2");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> SecretRef.parse("file:" + missing).resolve())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("file:" + missing);
  }
}
