package ntio.ddk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegValueTest {

  @Test
  void stringIsUtf16LittleEndianWithATerminatingNul() {
    RegValue value = RegValue.string("Name", "Ab");

    assertThat(value.type()).isEqualTo(RegType.REG_SZ);
    assertThat(value.data()).containsExactly(0x41, 0x00, 0x62, 0x00, 0x00, 0x00);
    assertThat(value.stringValue()).contains("Ab");
    assertThat(value.expandStringValue()).isEmpty();
  }

  @Test
  void expandStringKeepsItsVariablesUnexpanded() {
    RegValue value = RegValue.expandString("ImagePath", "%SystemRoot%\\x.sys");

    assertThat(value.type()).isEqualTo(RegType.REG_EXPAND_SZ);
    assertThat(value.expandStringValue()).contains("%SystemRoot%\\x.sys");
    assertThat(value.stringValue()).as("not a REG_SZ").isEmpty();
  }

  @Test
  void stringDecoderStopsAtTheFirstNulAndRefusesAnOddLength() {
    RegValue embedded = new RegValue("s", RegType.REG_SZ, new byte[] {0x61, 0, 0, 0, 0x62, 0});
    RegValue odd = new RegValue("s", RegType.REG_SZ, new byte[] {0x61, 0, 0});
    RegValue unterminated = new RegValue("s", RegType.REG_SZ, new byte[] {0x61, 0});

    assertThat(embedded.stringValue()).contains("a");
    assertThat(odd.stringValue()).isEmpty();
    assertThat(unterminated.stringValue()).contains("a");
    assertThat(new RegValue("s", RegType.REG_SZ, new byte[0]).stringValue()).contains("");
  }

  @Test
  void dwordIsFourLittleEndianBytesAndTheDecoderRefusesEveryOtherShape() {
    RegValue value = RegValue.dword("Type", 0x0A0B0C0D);

    assertThat(value.data()).containsExactly(0x0D, 0x0C, 0x0B, 0x0A);
    assertThat(value.dwordValue()).hasValue(0x0A0B0C0D);
    assertThat(new RegValue("Type", RegType.REG_BINARY, value.data()).dwordValue()).isEmpty();
    assertThat(new RegValue("Type", RegType.REG_DWORD, new byte[3]).dwordValue()).isEmpty();
    assertThat(new RegValue("Type", RegType.REG_DWORD, new byte[8]).dwordValue()).isEmpty();
    assertThat(new RegValue("Type", RegType.REG_DWORD_BIG_ENDIAN, value.data()).dwordValue())
        .isEmpty();
  }

  @Test
  void qwordIsEightLittleEndianBytes() {
    RegValue value = RegValue.qword("q", 0x0102030405060708L);

    assertThat(value.data()).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
    assertThat(value.qwordValue()).hasValue(0x0102030405060708L);
    assertThat(new RegValue("q", RegType.REG_QWORD, new byte[4]).qwordValue()).isEmpty();
    assertThat(new RegValue("q", RegType.REG_BINARY, value.data()).qwordValue()).isEmpty();
  }

  @Test
  void multiStringEndsEachStringAndTheListWithANul() {
    RegValue value = RegValue.multiString("Deps", List.of("a", "bc"));

    assertThat(value.data()).containsExactly(0x61, 0, 0, 0, 0x62, 0, 0x63, 0, 0, 0, 0, 0);
    assertThat(value.multiStringValue()).contains(List.of("a", "bc"));
    assertThat(RegValue.multiString("Deps", List.of()).data()).containsExactly(0, 0);
    assertThat(RegValue.multiString("Deps", List.of()).multiStringValue()).contains(List.of());
    assertThatThrownBy(() -> RegValue.multiString("Deps", List.of("a", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("element 1");
  }

  @Test
  void multiStringDecoderToleratesMissingTerminatorsButNotAnOddLength() {
    RegValue unterminated =
        new RegValue("m", RegType.REG_MULTI_SZ, new byte[] {0x61, 0, 0, 0, 0x62, 0});

    assertThat(unterminated.multiStringValue()).contains(List.of("a", "b"));
    assertThat(new RegValue("m", RegType.REG_MULTI_SZ, new byte[] {0x61}).multiStringValue())
        .isEmpty();
    assertThat(new RegValue("m", RegType.REG_SZ, unterminated.data()).multiStringValue()).isEmpty();
  }

  @Test
  void linkIsTheTargetWithoutANul() {
    RegValue link = RegValue.link("SymbolicLinkValue", "\\REGISTRY\\A");

    assertThat(link.type()).isEqualTo(RegType.REG_LINK);
    assertThat(link.dataLength()).isEqualTo(22);
    assertThat(link.linkTarget()).contains("\\REGISTRY\\A");
    assertThat(RegValue.string("x", "\\REGISTRY\\A").linkTarget()).isEmpty();
  }

  @Test
  void noneAndBinaryHoldTheirBytes() {
    assertThat(RegValue.none("n").data()).isEmpty();
    assertThat(RegValue.none("n").type()).isEqualTo(RegType.REG_NONE);
    assertThat(RegValue.binary("b", new byte[] {1, 2}).data()).containsExactly(1, 2);
    assertThat(RegValue.binary("b", new byte[] {1, 2}).type()).isEqualTo(RegType.REG_BINARY);
  }

  @Test
  void dataIsCopiedInAndOut() {
    byte[] bytes = {1, 2, 3};
    RegValue value = RegValue.binary("b", bytes);
    bytes[0] = 9;
    value.data()[1] = 9;

    assertThat(value.data()).containsExactly(1, 2, 3);
  }

  @Test
  void equalityComparesTheBytes() {
    assertThat(RegValue.binary("b", new byte[] {1}))
        .isEqualTo(RegValue.binary("b", new byte[] {1}));
    assertThat(RegValue.binary("b", new byte[] {1}).hashCode())
        .isEqualTo(RegValue.binary("b", new byte[] {1}).hashCode());
    assertThat(RegValue.binary("b", new byte[] {1}))
        .isNotEqualTo(RegValue.binary("b", new byte[] {2}));
    assertThat(RegValue.binary("b", new byte[] {1}))
        .isNotEqualTo(RegValue.binary("B", new byte[] {1}));
    assertThat(RegValue.dword("d", 1).toString()).isEqualTo("\"d\" REG_DWORD [01 00 00 00]");
  }

  @Test
  void typesHaveTheirWinntNames() {
    assertThat(RegType.name(RegType.REG_SZ)).isEqualTo("REG_SZ");
    assertThat(RegType.name(RegType.REG_RESOURCE_REQUIREMENTS_LIST))
        .isEqualTo("REG_RESOURCE_REQUIREMENTS_LIST");
    assertThat(RegType.name(11)).isEqualTo("REG_QWORD");
    assertThat(RegType.name(0x1234)).isEqualTo("0x00001234");
    assertThat(RegValue.qword("q", 1).typeName()).isEqualTo("REG_QWORD");
  }
}
