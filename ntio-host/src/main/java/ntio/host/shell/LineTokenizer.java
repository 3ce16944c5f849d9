package ntio.host.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell line into words, as a POSIX shell would, except that a backslash is an ordinary
 * character almost everywhere: NT names are full of them, and {@code open \Device\Echo} must mean
 * what it says without quoting.
 *
 * <ul>
 *   <li>Blanks (space, tab) separate words; runs of blanks count once.
 *   <li>{@code '...'} quotes everything literally, backslashes included.
 *   <li>{@code "..."} quotes; inside it {@code \"} is a quote and {@code \\} one backslash, and every
 *       other backslash stays as written.
 *   <li>Unquoted, a backslash escapes only the characters that would otherwise end or quote a word
 *       (a blank, {@code '}, {@code "} or {@code #}); any other backslash is literal, so {@code
 *       \Device\Echo} and {@code \\server\share} are words of their own.
 *   <li>{@code #} at the start of a word begins a comment that runs to the end of the line.
 *   <li>Quotes join with what touches them: {@code a"b c"d} is the one word {@code ab cd}, and
 *       {@code ""} is an empty word.
 * </ul>
 */
public final class LineTokenizer {

  private LineTokenizer() {}

  /**
   * The words of {@code line}.
   *
   * @throws ShellSyntaxException if a quote is left open
   */
  public static List<String> tokenize(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '#' && !inWord) {
        break;
      } else if (c == '\'') {
        int close = line.indexOf('\'', i + 1);
        if (close < 0) {
          throw new ShellSyntaxException("unterminated ' quote at column " + (i + 1));
        }
        word.append(line, i + 1, close);
        inWord = true;
        i = close + 1;
      } else if (c == '"') {
        i = doubleQuoted(line, i, word);
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length() && isSpecial(line.charAt(i + 1))) {
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Appends the contents of the double-quoted string opening at {@code open}; returns the index after it. */
  private static int doubleQuoted(String line, int open, StringBuilder word) {
    int i = open + 1;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
        word.append(line.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw new ShellSyntaxException("unterminated \" quote at column " + (open + 1));
  }

  private static boolean isSpecial(char c) {
    return c == ' ' || c == '\t' || c == '\'' || c == '"' || c == '#';
  }
}
