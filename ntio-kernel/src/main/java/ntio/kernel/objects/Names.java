package ntio.kernel.objects;

/**
 * Name helpers shared by the object manager and the subsystems that parse names after it.
 */
public final class Names {

  private Names() {}

  /**
   * The name with every character upcased one for one, as {@code RtlUpcaseUnicodeChar} does:
   * the length never changes, unlike {@link String#toUpperCase()}.
   */
  public static String upcase(String name) {
    char[] chars = name.toCharArray();
    boolean changed = false;
    for (int i = 0; i < chars.length; i++) {
      char upper = Character.toUpperCase(chars[i]);
      if (upper != chars[i]) {
        chars[i] = upper;
        changed = true;
      }
    }
    return changed ? new String(chars) : name;
  }

  /** Joins a directory path and a component: {@code \} + {@code Device} gives {@code \Device}. */
  public static String join(String parent, String component) {
    if (component.isEmpty()) {
      return parent;
    }
    return parent.endsWith("\\") ? parent + component : parent + "\\" + component;
  }
}
