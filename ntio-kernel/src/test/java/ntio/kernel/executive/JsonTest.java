package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void quotedStringsParseBackToThemselves() {
    for (String value :
        List.of(
            "",
            "plain",
            "q\"uote",
            "back\\slash",
            "tab\tnew\nline\r",
            "\u0000\u001f\u007f",
            "é ünï \u2028 \uD83D\uDE00",
            "/slash")) {
      assertThat(Json.parse(Json.quote(value))).isEqualTo(value);
    }
  }

  @Test
  void controlCharactersAreEscaped() {
    assertThat(Json.quote("a\u0001b")).isEqualTo("\"a\\u0001b\"");
    assertThat(Json.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
  }

  @Test
  void parsesObjectsArraysNumbersAndLiterals() {
    Object parsed =
        Json.parse(" {\"a\": [1, -2, \"x\"], \"b\": {}, \"c\": null, \"d\": true, \"e\": []} ");

    assertThat(parsed).isInstanceOf(Map.class);
    Map<?, ?> fields = (Map<?, ?>) parsed;
    assertThat(fields.get("a")).isEqualTo(Arrays.asList(1L, -2L, "x"));
    assertThat(fields.get("b")).isEqualTo(Map.of());
    assertThat(fields.containsKey("c")).isTrue();
    assertThat(fields.get("c")).isNull();
    assertThat(fields.get("d")).isEqualTo(true);
    assertThat(fields.get("e")).isEqualTo(List.of());
  }

  @Test
  void malformedTextIsRejectedWithItsOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\": 1} x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 9");
    assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("\"unterminated"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("\"bad \\q escape\""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("[1,]")).isInstanceOf(IllegalArgumentException.class);
  }
}
