package ntio.drivers.toaster.filter;

import ntio.ddk.DeviceTypes;
import ntio.ddk.IoControlCodes;
import ntio.ddk.MajorFunctions;
import ntio.ddk.PnpMinorFunctions;

/** The control code a client of the ToasterFilter driver uses: what its {@code public.h} would hold. */
public final class ToasterFilterIoctl {

  private ToasterFilterIoctl() {}

  /** How many major-function counters the answer starts with: 0 to IRP_MJ_MAXIMUM_FUNCTION. */
  public static final int MAJOR_COUNT = MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION + 1;

  /** How many PnP minor-function counters follow them: 0 to IRP_MN_DEVICE_ENUMERATED. */
  public static final int PNP_MINOR_COUNT = PnpMinorFunctions.IRP_MN_DEVICE_ENUMERATED + 1;

  /** The size of the answer: one 8-byte value per counter. */
  public static final int COUNTS_SIZE = (MAJOR_COUNT + PNP_MINOR_COUNT) * Long.BYTES;

  /**
   * What the filter passed down: {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x920, METHOD_BUFFERED,
   * FILE_ANY_ACCESS)}, {@code 0x00222480}. The filter answers it itself, on any stack it is in, and
   * does not pass it down: the output buffer receives {@link #MAJOR_COUNT} little-endian 8-byte
   * counts of the requests of each major function that reached the filter (this one included),
   * then {@link #PNP_MINOR_COUNT} counts of its IRP_MJ_PNP requests by minor function, and {@code
   * Information} is {@link #COUNTS_SIZE}; {@code STATUS_BUFFER_TOO_SMALL} if the output buffer is
   * shorter.
   */
  public static final int IOCTL_TOASTER_FILTER_QUERY_COUNTS = IoControlCodes.ctlCode(
      DeviceTypes.FILE_DEVICE_UNKNOWN, 0x920, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_ANY_ACCESS);
}
