package ntio.bench;

import org.openjdk.jmh.annotations.CompilerControl;

/**
 * The floor under a zero-length read of {@code \Device\Null}: a direct Java call that reads
 * nothing and returns at once. It is kept a real call (never inlined into the benchmark), as a
 * plugin host calling a device's read method through an interface would pay at least that.
 */
final class DirectNull {

  private static final byte[] NOTHING = new byte[0];

  private DirectNull() {}

  /**
   * Reads up to {@code length} bytes from a device that is always at its end.
   *
   * @return no bytes
   * @throws IllegalArgumentException if {@code length} is negative
   */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  static byte[] read(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("read length " + length + " is negative");
    }
    return NOTHING;
  }
}
