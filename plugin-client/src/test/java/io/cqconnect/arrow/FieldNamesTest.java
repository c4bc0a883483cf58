package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldNamesTest {

  @Test
  void shouldKeepAvroNamesAndReplaceEveryOtherCharacterOfTheRest() {
    assertThat(FieldNames.connectNames(List.of("_cq_id", "Name2", "my-col", "1st", "a.b", "é")))
        .containsExactly("_cq_id", "Name2", "my_col", "_1st", "a_b", "_");
  }

  @Test
  void shouldNumberMappedNamesThatCollideWithoutRenamingValidOnes() {
    // "a_b" is valid and keeps its name even though it comes after the invalid ones.
    assertThat(FieldNames.connectNames(List.of("a-b", "a.b", "a_b", "a_b_2-")))
        .containsExactly("a_b_2", "a_b_3", "a_b", "a_b_2_");
  }

  @Test
  void shouldAcceptOnlyNamesAvroAccepts() {
    assertThat(FieldNames.isAvroName("_x9")).isTrue();
    assertThat(FieldNames.isAvroName("9x")).isFalse();
    assertThat(FieldNames.isAvroName("x-y")).isFalse();
    assertThat(FieldNames.isAvroName("")).isFalse();
  }
}
