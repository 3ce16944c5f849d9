package ntio.ddk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PoolTagTest {

  @Test
  void aTagPacksItsFirstCharacterIntoTheLowestByteAsNtDoes() {
    assertThat(PoolTag.of("Leak")).isEqualTo(0x6B61654C);
    assertThat(PoolTag.of(" kdD")).isEqualTo(0x44646B20);
  }

  @Test
  void aTagPrintsBackAsItsFourCharacters() {
    assertThat(PoolTag.toString(0x6B61654C)).isEqualTo("Leak");
    assertThat(PoolTag.describe(PoolTag.of("Leak"))).isEqualTo("'Leak' (0x6B61654C)");
  }

  @Test
  void aShortNameIsPaddedWithSpaces() {
    assertThat(PoolTag.of("Io")).isEqualTo(PoolTag.of("Io  "));
    assertThat(PoolTag.toString(PoolTag.of("Io"))).isEqualTo("Io  ");
  }

  @Test
  void bytesThatAreNotPrintableShowAsDots() {
    assertThat(PoolTag.toString(0)).isEqualTo("....");
    assertThat(PoolTag.toString(0x80000041)).isEqualTo("A...");
  }

  @Test
  void aNameThatCannotBeATagIsAnNtioBug() {
    assertThatThrownBy(() -> PoolTag.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PoolTag.of("Leaky"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5");
    assertThatThrownBy(() -> PoolTag.of("Lé"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+00E9");
  }
}
