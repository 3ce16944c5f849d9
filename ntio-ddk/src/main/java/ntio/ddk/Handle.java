package ntio.ddk;

/**
 * A handle value. Models {@code HANDLE} (full). User handles are multiples of 4 starting at
 * {@code 0x4}; kernel handles ({@code OBJ_KERNEL_HANDLE}, living in the System process) carry
 * the {@link #KERNEL_HANDLE_BIT}. {@code 0} is the NULL handle.
 *
 * @param value the raw value as a client sees it
 */
public record Handle(int value) {

  /** Set on every kernel handle, as NT sets the sign bit. */
  public static final int KERNEL_HANDLE_BIT = 0x80000000;

  /** The NULL handle. */
  public static final Handle NULL = new Handle(0);

  /** Whether this is the NULL handle. */
  public boolean isNull() {
    return value == 0;
  }

  /** Whether this is a kernel handle. */
  public boolean isKernelHandle() {
    return (value & KERNEL_HANDLE_BIT) != 0;
  }

  /** {@code 0x4}, NT style. */
  @Override
  public String toString() {
    return "0x" + Integer.toHexString(value).toUpperCase(java.util.Locale.ROOT);
  }
}
