package ntio.drivers.filter;

import ntio.ddk.DeviceTypes;
import ntio.ddk.IoControlCodes;
import ntio.ddk.MajorFunctions;

/**
 * The names and control codes a client of the Filter driver uses: what a Windows driver sample
 * puts in its {@code public.h}.
 */
public final class FilterIoctl {

  private FilterIoctl() {}

  /** The device the filter attaches on top of: {@code \Device\Echo}. */
  public static final String TARGET_DEVICE_NAME = "\\Device\\Echo";

  /** {@code FILE_ANY_ACCESS}: any open may send the code. */
  static final int FILE_ANY_ACCESS = 0;

  /** How many counters the filter keeps: one per major function, 0 to IRP_MJ_MAXIMUM_FUNCTION. */
  public static final int COUNTER_COUNT = MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION + 1;

  /** The size of the {@link #IOCTL_FILTER_QUERY_COUNTS} answer: one 8-byte value per counter. */
  public static final int COUNTS_SIZE = COUNTER_COUNT * Long.BYTES;

  /**
   * The filter's request counts: {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED,
   * FILE_ANY_ACCESS)}, {@code 0x00222400}. The filter answers it itself and does not pass it down:
   * the output buffer receives {@link #COUNTER_COUNT} little-endian 8-byte counters, counter
   * {@code i} being the requests of major function {@code i} that reached the filter (this one
   * included), and {@code Information} is {@link #COUNTS_SIZE}; {@code STATUS_BUFFER_TOO_SMALL} if
   * the output buffer is shorter.
   */
  public static final int IOCTL_FILTER_QUERY_COUNTS =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x900, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_ANY_ACCESS);

  /** The size of the {@link #IOCTL_FILTER_QUERY_BYTES} answer: two 8-byte values. */
  public static final int BYTES_SIZE = 2 * Long.BYTES;

  /**
   * The bytes the filter saw move: {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x901, METHOD_BUFFERED,
   * FILE_ANY_ACCESS)}, {@code 0x00222404}. The filter answers it itself and does not pass it down:
   * the output buffer receives two little-endian 8-byte values, the bytes read and then the bytes
   * written — the {@code Information} of every read and write that passed through the filter and
   * completed with a success status — and {@code Information} is {@link #BYTES_SIZE};
   * {@code STATUS_BUFFER_TOO_SMALL} if the output buffer is shorter.
   */
  public static final int IOCTL_FILTER_QUERY_BYTES =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x901, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_ANY_ACCESS);

}
