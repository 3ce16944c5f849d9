package ntio.host.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineTokenizerTest {

  @Test
  void blanksSeparateWordsAndRunsOfThemCountOnce() {
    assertThat(LineTokenizer.tokenize("  read \t e   5 ")).containsExactly("read", "e", "5");
  }

  @Test
  void anNtPathNeedsNoQuoting() {
    assertThat(LineTokenizer.tokenize("open \\Device\\Echo --as e")).containsExactly("open", "\\Device\\Echo", "--as", "e");
  }

  @Test
  void aUncStylePathKeepsBothLeadingBackslashes() {
    assertThat(LineTokenizer.tokenize("open \\\\server\\share")).containsExactly("open", "\\\\server\\share");
  }

  @Test
  void singleQuotesKeepEverythingLiterally() {
    assertThat(LineTokenizer.tokenize("write e 'a \\\" b'")).containsExactly("write", "e", "a \\\" b");
  }

  @Test
  void doubleQuotesKeepBlanksAndBackslashesButUnescapeQuotes() {
    assertThat(LineTokenizer.tokenize("reg add \"HKLM\\Software\\My Key\" --data \"say \\\"hi\\\"\""))
        .containsExactly("reg", "add", "HKLM\\Software\\My Key", "--data", "say \"hi\"");
  }

  @Test
  void aBackslashBeforeABlankEscapesIt() {
    assertThat(LineTokenizer.tokenize("write e hello\\ world")).containsExactly("write", "e", "hello world");
  }

  @Test
  void quotesJoinWithWhatTouchesThem() {
    assertThat(LineTokenizer.tokenize("a\"b c\"d ''")).containsExactly("ab cd", "");
  }

  @Test
  void aHashAtTheStartOfAWordBeginsAComment() {
    assertThat(LineTokenizer.tokenize("# a comment")).isEmpty();
    assertThat(LineTokenizer.tokenize("read e 5  # the first five")).containsExactly("read", "e", "5");
    assertThat(LineTokenizer.tokenize("write e a#b")).containsExactly("write", "e", "a#b");
  }

  @Test
  void anOpenQuoteIsASyntaxError() {
    assertThatThrownBy(() -> LineTokenizer.tokenize("write e \"hello"))
        .isInstanceOf(ShellSyntaxException.class).hasMessage("unterminated \" quote at column 9");
    assertThatThrownBy(() -> LineTokenizer.tokenize("write e 'hello"))
        .isInstanceOf(ShellSyntaxException.class).hasMessage("unterminated ' quote at column 9");
  }
}
