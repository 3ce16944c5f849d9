package ntio.ddk;

/**
 * Pool tags: four ASCII characters packed into an int, first character in the lowest byte, as NT
 * stores them (so {@code 'Leak'} is {@code 0x6B61654C}, what a C driver writes as {@code 'kaeL'}).
 */
public final class PoolTag {

  private PoolTag() {}

  /**
   * The tag for one to four printable ASCII characters; shorter names are padded with spaces on the
   * right, as {@code "Io"} becomes {@code "Io "}.
   *
   * <p>Models a C multi-character tag constant as drivers write it (full).
   *
   * @throws IllegalArgumentException if {@code name} is empty, longer than four characters or not
   *     printable ASCII
   */
  public static int of(String name) {
    if (name.isEmpty() || name.length() > 4) {
      throw new IllegalArgumentException(
          "a pool tag has one to four characters, \"" + name + "\" has " + name.length());
    }
    int tag = 0;
    for (int i = 0; i < 4; i++) {
      char c = i < name.length() ? name.charAt(i) : ' ';
      if (c < 0x20 || c > 0x7E) {
        throw new IllegalArgumentException(
            String.format(
                "pool tag \"%s\" has a character that is not printable ASCII: U+%04X",
                name, (int) c));
      }
      tag |= c << (8 * i);
    }
    return tag;
  }

  /**
   * The four characters of {@code tag}, first byte first; bytes that are not printable ASCII show
   * as {@code '.'}, as poolmon shows them.
   *
   * <p>Models poolmon's Tag column (full).
   */
  public static String toString(int tag) {
    char[] chars = new char[4];
    for (int i = 0; i < 4; i++) {
      int b = (tag >>> (8 * i)) & 0xFF;
      chars[i] = b >= 0x20 && b <= 0x7E ? (char) b : '.';
    }
    return new String(chars);
  }

  /**
   * {@code 'Leak' (0x6B61654C)}: the characters and the packed value.
   *
   * <p>Models how bug-check pages print a tag parameter (full).
   */
  public static String describe(int tag) {
    return String.format("'%s' (0x%08X)", toString(tag), tag);
  }
}
