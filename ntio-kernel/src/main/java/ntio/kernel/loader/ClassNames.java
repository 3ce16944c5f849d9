package ntio.kernel.loader;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The "did you mean?" of a load failure: the class name among an image's that is closest to a
 * misspelt one. No NT counterpart.
 */
final class ClassNames {

  /** Names longer than this are not compared: the distance is quadratic in the length. */
  private static final int MAX_LENGTH = 256;

  private ClassNames() {}

  /**
   * The name of {@code names} closest to {@code wanted} by edit distance, ignoring case, if one
   * is close enough to be a misspelling: at most a quarter of the wanted name's characters (and
   * at least two) apart, or the same simple name in another package.
   */
  static Optional<String> closeTo(String wanted, Collection<String> names) {
    if (wanted.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String best = null;
    int bestDistance = Math.max(2, wanted.length() / 4) + 1;
    for (String name : names) {
      if (name.length() > MAX_LENGTH) {
        continue;
      }
      int distance = simpleName(name).equalsIgnoreCase(simpleName(wanted)) ? 0
          : distance(wanted.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = name;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  private static String simpleName(String binaryName) {
    return binaryName.substring(binaryName.lastIndexOf('.') + 1);
  }

  /** Levenshtein distance, two rows. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
