package ntio.drivers.stale;

import ntio.ddk.DeviceTypes;
import ntio.ddk.IoControlCodes;

/** The names and control codes a client of the Stale driver uses (its {@code public.h}). */
public final class StaleIoctl {

  private StaleIoctl() {}

  /** The device the driver creates: {@code \Device\Stale}. */
  public static final String DEVICE_NAME = "\\Device\\Stale";

  /**
   * Allocates the driver's block of non-paged pool: {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800,
   * METHOD_BUFFERED, FILE_WRITE_ACCESS)}. The input is the tag's four ASCII characters followed by
   * the size in bytes, a 4-byte little-endian integer ({@link #allocateInput}). Answers
   * {@code STATUS_INVALID_PARAMETER} for a shorter input, {@code STATUS_DEVICE_BUSY} while a
   * block is held, or the allocation's own status.
   */
  public static final int IOCTL_STALE_ALLOCATE =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x800, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_WRITE_ACCESS);

  /**
   * Frees the block and then reads its first byte: the use after free, a bug check. {@code
   * CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_WRITE_ACCESS)}; {@code
   * STATUS_INVALID_DEVICE_STATE} when no block is held.
   */
  public static final int IOCTL_STALE_FREE_THEN_READ =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x801, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_WRITE_ACCESS);

  /** The input of {@link #IOCTL_STALE_ALLOCATE}: {@code tag} (four ASCII characters), then {@code size}. */
  public static byte[] allocateInput(String tag, int size) {
    if (tag.length() != 4) {
      throw new IllegalArgumentException("a pool tag has four characters: " + tag);
    }
    byte[] input = new byte[8];
    for (int i = 0; i < 4; i++) {
      input[i] = (byte) tag.charAt(i);
    }
    java.nio.ByteBuffer.wrap(input).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, size);
    return input;
  }
}
