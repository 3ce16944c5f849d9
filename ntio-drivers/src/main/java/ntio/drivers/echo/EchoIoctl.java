package ntio.drivers.echo;

import ntio.ddk.DeviceTypes;
import ntio.ddk.IoControlCodes;

/**
 * The names and control codes a client of the Echo driver uses: what a Windows driver sample puts
 * in its {@code public.h}.
 */
public final class EchoIoctl {

  private EchoIoctl() {}

  /** The device the driver creates: {@code \Device\Echo}. */
  public static final String DEVICE_NAME = "\\Device\\Echo";

  /** The symbolic link to {@link #DEVICE_NAME} the driver creates: {@code \??\Echo}. */
  public static final String LINK_NAME = "\\??\\Echo";

  /**
   * How many bytes are waiting in the FIFO: {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800,
   * METHOD_BUFFERED, FILE_READ_ACCESS)}, {@code 0x00226000}. Answers with the count as a 4-byte
   * little-endian integer in the output buffer ({@code Information} 4);
   * {@code STATUS_BUFFER_TOO_SMALL} if the output buffer is shorter than 4 bytes.
   */
  public static final int IOCTL_ECHO_QUERY_AVAILABLE =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x800, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_READ_ACCESS);

  /**
   * The most bytes the FIFO holds: a write that would take it past this fails with
   * {@code STATUS_INSUFFICIENT_RESOURCES} and appends nothing, as a write whose pool allocation
   * failed would.
   */
  public static final int FIFO_CAPACITY = 16 * 1024 * 1024;

}
