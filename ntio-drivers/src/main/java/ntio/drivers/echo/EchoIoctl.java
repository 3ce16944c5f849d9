package ntio.drivers.echo;

import ntio.ddk.DeviceTypes;

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

  /** {@code METHOD_BUFFERED}: both buffers of a device control go through the system buffer. */
  static final int METHOD_BUFFERED = 0;

  /** {@code FILE_READ_ACCESS}: the open must have been granted read access. */
  static final int FILE_READ_ACCESS = 0x0001;

  /**
   * How many bytes are waiting in the FIFO: {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800,
   * METHOD_BUFFERED, FILE_READ_ACCESS)}, {@code 0x00226000}. Answers with the count as a 4-byte
   * little-endian integer in the output buffer ({@code Information} 4);
   * {@code STATUS_BUFFER_TOO_SMALL} if the output buffer is shorter than 4 bytes.
   */
  public static final int IOCTL_ECHO_QUERY_AVAILABLE =
      ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS);

  /**
   * The most bytes the FIFO holds: a write that would take it past this fails with
   * {@code STATUS_INSUFFICIENT_RESOURCES} and appends nothing, as a write whose pool allocation
   * failed would.
   */
  public static final int FIFO_CAPACITY = 16 * 1024 * 1024;

  /**
   * A device I/O control code. Models the {@code CTL_CODE} macro (full): the device type in bits
   * 16-31, the required access in bits 14-15, the function in bits 2-13 and the transfer method in
   * bits 0-1.
   */
  static int ctlCode(int deviceType, int function, int method, int access) {
    return (deviceType << 16) | (access << 14) | (function << 2) | method;
  }
}
